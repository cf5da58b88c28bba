// The stewards' page: an editor signs in with their key, picks a spreadsheet, reads the
// report of a dry run (POST /imports?dryRun=true), and confirms to apply the very same bytes.
// The key lives in sessionStorage only: never in a URL or a cookie, gone when the tab closes.
(function () {
  "use strict";

  const lang = document.documentElement.lang === "th" ? "th" : "en";
  const t = (en, th) => (lang === "th" ? th : en);
  const locale = lang === "th" ? "th-TH" : "en-GB";
  const number = (value) => Number(value).toLocaleString(locale);
  const STORE = "smartcity.stewardKey";
  const SHOWN = 500; // table rows drawn at most; a file may hold tens of thousands

  const $ = (id) => document.getElementById(id);
  const main = document.querySelector("main.steward");
  const maxBytes = Number(main.dataset.maxBytes);
  const el = {
    signIn: $("sign-in"),
    form: $("sign-in-form"),
    key: $("key"),
    upload: $("upload"),
    keyHint: $("key-hint"),
    signOut: $("sign-out"),
    drop: $("drop"),
    file: $("file"),
    reason: $("reason"),
    status: $("status"),
    report: $("report"),
    title: $("report-title"),
    errors: $("errors"),
    errorRows: $("error-rows"),
    changes: $("changes"),
    changesTitle: $("changes-title"),
    changeRows: $("change-rows"),
    more: $("more"),
    apply: $("apply"),
  };

  function size(bytes) {
    return bytes >= 1e6
      ? `${(bytes / 1e6).toLocaleString(locale, { maximumFractionDigits: 1 })} MB`
      : `${(bytes / 1e3).toLocaleString(locale, { maximumFractionDigits: 1 })} KB`;
  }
  $("limit").textContent = size(maxBytes);

  // The file as checked: its name and bytes, so Apply sends exactly what the report describes.
  let checked = null;
  let asked = 0; // numbers each request, so an answer to an older one is ignored

  function say(message, kind = "info") {
    el.status.textContent = message;
    el.status.dataset.kind = kind;
  }

  function storedKey() {
    return sessionStorage.getItem(STORE);
  }

  function showSignedIn() {
    const key = storedKey();
    el.signIn.hidden = Boolean(key);
    el.upload.hidden = !key;
    // The key's prefix is what `smartcity keys revoke` takes: enough to tell keys apart.
    el.keyHint.textContent = key ? `${key.slice(0, 12)}…` : "";
  }

  function signOut(message) {
    sessionStorage.removeItem(STORE);
    checked = null;
    asked += 1;
    el.key.value = "";
    el.file.value = "";
    el.report.hidden = true;
    showSignedIn();
    say(message ?? t("Signed out.", "ออกจากระบบแล้ว"));
  }

  async function answerOf(response) {
    try {
      return await response.json();
    } catch {
      return null; // not JSON: a proxy's error page, say
    }
  }

  const serverMessage = (body) =>
    (body && body.errors && body.errors.map((e) => e.message).join("; ")) || "";

  // What each refusal means for the steward, followed by the server's own words.
  function refusal(status, body) {
    const said = serverMessage(body);
    const explain = {
      401: t("This key is unknown or has been revoked. Sign in with another.", "ไม่รู้จักกุญแจนี้หรือกุญแจถูกเพิกถอนแล้ว กรุณาเข้าสู่ระบบด้วยกุญแจอื่น"),
      403: t("This key may not change data: importing needs an editor's or an admin's key.", "กุญแจนี้ไม่มีสิทธิ์แก้ไขข้อมูล การนำเข้าต้องใช้กุญแจของผู้แก้ไขหรือผู้ดูแลระบบ"),
      413: t(`The file is too large: at most ${size(maxBytes)}.`, `ไฟล์ใหญ่เกินไป: ไม่เกิน ${size(maxBytes)}`),
      429: t("Too many requests for now: wait, then try again.", "มีคำขอมากเกินไปในขณะนี้ กรุณารอสักครู่แล้วลองใหม่"),
      503: t("The service is unavailable for the moment: try again shortly.", "ระบบไม่พร้อมให้บริการชั่วคราว กรุณาลองใหม่ในอีกสักครู่"),
    }[status] ?? t(`Unexpected answer from the server (HTTP ${status}).`, `คำตอบที่ไม่คาดคิดจากเซิร์ฟเวอร์ (HTTP ${status})`);
    return said ? `${explain} ${t("The server said:", "เซิร์ฟเวอร์แจ้งว่า:")} ${said}` : explain;
  }

  async function post(url, key, body, contentType) {
    const headers = { Authorization: `Bearer ${key}`, Accept: "application/json" };
    if (contentType) headers["Content-Type"] = contentType;
    try {
      const response = await fetch(url, { method: "POST", headers, body, cache: "no-store" });
      return { status: response.status, body: await answerOf(response) };
    } catch {
      return { status: 0, body: null };
    }
  }

  // Signing in asks the server whether it knows the key (a trivial query), so a mistyped key
  // is caught now; whether it may edit is the import's to say.
  el.form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = el.key.value.trim();
    if (!key) return;
    say(t("Checking the key…", "กำลังตรวจกุญแจ…"));
    const { status, body } = await post(
      "/graphql",
      key,
      JSON.stringify({ query: "{ __typename }" }),
      "application/json"
    );
    if (status === 0) return say(t("Could not reach the server.", "ติดต่อเซิร์ฟเวอร์ไม่ได้"), "error");
    if (status !== 200) return say(refusal(status, body), "error");
    sessionStorage.setItem(STORE, key);
    el.key.value = "";
    showSignedIn();
    say(t("Signed in. Choose a file to check.", "เข้าสู่ระบบแล้ว เลือกไฟล์เพื่อตรวจสอบ"));
  });

  el.signOut.addEventListener("click", () => signOut());

  function cell(row, label, value) {
    const td = row.insertCell();
    td.dataset.label = label; // shown before the value when the table stacks on a phone
    td.textContent = value ?? "";
    return td;
  }

  function fillTable(body, items, columns) {
    body.replaceChildren();
    items.slice(0, SHOWN).forEach((item) => {
      const tr = body.insertRow();
      columns.forEach(([label, value]) => cell(tr, label, value(item)));
    });
  }

  function outcomeName(outcome, dryRun) {
    const names = dryRun
      ? { CREATED: t("would be created", "จะสร้างใหม่"), UPDATED: t("would be updated", "จะปรับปรุง") }
      : { CREATED: t("created", "สร้างแล้ว"), UPDATED: t("updated", "ปรับปรุงแล้ว") };
    return names[outcome] ?? outcome;
  }

  function show(report) {
    const task = report.tasks[0] ?? { errors: [], rows: [] };
    const stats = report.stats;
    const dry = report.dryRun;
    const changing = stats.created + stats.updated;
    const labels = dry
      ? [t("Would create", "จะสร้างใหม่"), t("Would update", "จะปรับปรุง"), t("Would leave unchanged", "จะคงเดิม")]
      : [t("Created", "สร้างใหม่"), t("Updated", "ปรับปรุง"), t("Unchanged", "คงเดิม")];
    el.report.querySelector("[data-label-created]").textContent = labels[0];
    el.report.querySelector("[data-label-updated]").textContent = labels[1];
    el.report.querySelector("[data-label-unchanged]").textContent = labels[2];
    el.report.querySelectorAll("[data-stat]").forEach((dd) => {
      dd.textContent = number(stats[dd.dataset.stat]);
    });

    const what = task.entity ? ` (${task.entity})` : "";
    let state;
    if (!report.valid) {
      state = "invalid";
      el.title.textContent = t(
        `${task.name}${what}: ${number(stats.errors)} problem(s) to fix. Nothing was written.`,
        `${task.name}${what}: พบปัญหา ${number(stats.errors)} รายการที่ต้องแก้ไข ไม่มีการบันทึกใด`
      );
    } else if (report.applied) {
      state = "applied";
      el.title.textContent = changing
        ? t(`${task.name}${what}: applied. Every change is saved and audited.`, `${task.name}${what}: บันทึกแล้ว ทุกการเปลี่ยนแปลงถูกบันทึกประวัติ`)
        : t(`${task.name}${what}: nothing needed changing.`, `${task.name}${what}: ไม่มีสิ่งใดต้องเปลี่ยน`);
    } else if (changing) {
      state = "ready";
      el.title.textContent = t(
        `${task.name}${what} is valid. Nothing is written until you confirm.`,
        `${task.name}${what} ถูกต้อง จะยังไม่มีการบันทึกจนกว่าท่านจะยืนยัน`
      );
    } else {
      state = "unchanged";
      el.title.textContent = t(
        `${task.name}${what} is valid and matches the data: nothing to apply.`,
        `${task.name}${what} ถูกต้องและตรงกับข้อมูลแล้ว ไม่มีสิ่งใดต้องบันทึก`
      );
    }

    fillTable(el.errorRows, task.errors, [
      [t("Row", "แถว"), (e) => (e.rowNumber ? number(e.rowNumber) : "–")],
      [t("Column", "คอลัมน์"), (e) => e.fieldName ?? "–"],
      [t("Cell", "ค่าในช่อง"), (e) => e.cell ?? ""],
      [t("Code", "รหัส"), (e) => e.code],
      [t("Message", "ข้อความ"), (e) => e.message],
    ]);
    el.errors.hidden = task.errors.length === 0;

    const changed = task.rows.filter((row) => row.outcome !== "UNCHANGED");
    el.changesTitle.textContent = dry ? t("What would change", "สิ่งที่จะเปลี่ยน") : t("What changed", "สิ่งที่เปลี่ยนแล้ว");
    fillTable(el.changeRows, changed, [
      [t("Row", "แถว"), (row) => number(row.rowNumber)],
      [t("Record", "รายการ"), (row) => row.key],
      [t("Outcome", "ผล"), (row) => outcomeName(row.outcome, dry)],
    ]);
    el.changes.hidden = changed.length === 0;

    const hidden = Math.max(0, task.errors.length - SHOWN) + Math.max(0, changed.length - SHOWN);
    el.more.hidden = hidden === 0;
    el.more.textContent = t(`${number(hidden)} more not shown.`, `ไม่ได้แสดงอีก ${number(hidden)} รายการ`);

    el.apply.disabled = state !== "ready";
    el.report.dataset.state = state;
    el.report.hidden = false;
  }

  async function send(dryRun) {
    const key = storedKey();
    if (!key || !checked) return;
    const mine = ++asked;
    const params = new URLSearchParams({ name: checked.name });
    if (dryRun) params.set("dryRun", "true");
    const reason = el.reason.value.trim();
    if (!dryRun && reason) params.set("reason", reason);
    el.apply.disabled = true;
    say(dryRun ? t(`Checking ${checked.name}…`, `กำลังตรวจ ${checked.name}…`) : t("Applying…", "กำลังบันทึก…"));
    const { status, body } = await post(`/imports?${params}`, key, checked.bytes, checked.type);
    if (mine !== asked) return;
    if (status === 0) return say(t("Could not reach the server.", "ติดต่อเซิร์ฟเวอร์ไม่ได้"), "error");
    if (status === 401) return signOut(refusal(status, body));
    if ((status === 200 || status === 422) && body && body.tasks) {
      show(body);
      if (!body.valid) {
        say(t("The file has problems: fix them in the spreadsheet and upload it again.", "ไฟล์มีปัญหา: แก้ไขในตารางข้อมูลแล้วอัปโหลดอีกครั้ง"), "error");
      } else if (body.applied) {
        el.reason.value = ""; // it was this file's; the next one needs its own
        say(t("Done.", "เสร็จสิ้น"), "done");
      } else {
        say(t("Checked.", "ตรวจแล้ว"));
      }
      return;
    }
    el.report.hidden = true;
    say(refusal(status, body), "error");
  }

  async function choose(file) {
    if (!file) return;
    el.report.hidden = true;
    if (!/\.(csv|xlsx)$/i.test(file.name)) {
      checked = null;
      return say(t("Choose a .csv or .xlsx file.", "กรุณาเลือกไฟล์ .csv หรือ .xlsx"), "error");
    }
    if (file.size > maxBytes) {
      checked = null;
      return say(refusal(413, null), "error");
    }
    // Read now: Apply sends these bytes, even if the file on disk is edited in between.
    checked = { name: file.name, type: file.type || "application/octet-stream", bytes: await file.arrayBuffer() };
    // Choosing the same file again (after fixing it) must fire `change` again.
    el.file.value = "";
    await send(true);
  }

  el.file.addEventListener("change", () => choose(el.file.files[0]));
  el.apply.addEventListener("click", () => send(false));

  el.drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    el.drop.classList.add("dragging");
  });
  el.drop.addEventListener("dragleave", () => el.drop.classList.remove("dragging"));
  el.drop.addEventListener("drop", (event) => {
    event.preventDefault();
    el.drop.classList.remove("dragging");
    choose(event.dataTransfer.files[0]);
  });
  // A file dropped beside the target would otherwise be opened by the browser, leaving the page.
  window.addEventListener("dragover", (event) => event.preventDefault());
  window.addEventListener("drop", (event) => event.preventDefault());

  showSignedIn();
})();
