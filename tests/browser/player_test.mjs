// Drives the web player (examples/web) in headless Chromium, end to end: the page, the package
// (bindings/js) and the WebAssembly engine together.
//
//   node player_test.mjs REPO_ROOT SCREENSHOT_DIR
//
// Serves REPO_ROOT on 127.0.0.1 (an ephemeral port), opens /examples/web/index.html in Debian's
// chromium (/usr/bin/chromium; playwright-core never downloads a browser) and plays:
//   A. back_basics at 50x: ready with a timeline, start, pause in a hold (the countdown
//      freezes), resume with the space key, report that the left side takes over, skip (the
//      exercise changes), the end: a COMPLETED record and one history entry;
//   B. reload, start, pain 7: a safety stop, two history entries;
//   C. back_basics_plus: refused without the attestation (the engine's message shown), ready
//      with it; progression's next routine can be taken and is ready to run;
//   D. offline: the page loads from the service worker's cache and autostarts.
// Fails (exit 1, with the reason) on any console error or page error too. Screenshots:
// start.png, hold.png, end.png, safety.png in SCREENSHOT_DIR.

import { createServer } from "node:http";
import { mkdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import process from "node:process";
import { chromium } from "playwright-core";

const OVERALL_TIMEOUT_MS = 120000;
const STEP_TIMEOUT_MS = 20000;
const SPEED = 50;
const HISTORY_KEY = "regimen.player.history";

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

function usage(message) {
  console.error(`player_test: ${message}`);
  console.error("usage: node player_test.mjs REPO_ROOT SCREENSHOT_DIR");
  process.exit(2);
}

/** A static file server for `root`; resolves to { server, origin }. */
function serve(root) {
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url, "http://127.0.0.1");
      let file = path.join(root, decodeURIComponent(url.pathname));
      if (file !== root && !file.startsWith(root + path.sep)) {
        response.writeHead(403).end("forbidden");
        return;
      }
      let info = await stat(file).catch(() => null);
      if (info && info.isDirectory()) {
        file = path.join(file, "index.html");
        info = await stat(file).catch(() => null);
      }
      if (!info || !info.isFile()) {
        response.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      const body = await readFile(file);
      response.writeHead(200, {
        "content-type": MIME[path.extname(file).toLowerCase()] ?? "application/octet-stream",
        "content-length": body.length,
        "cache-control": "no-store",
      });
      response.end(request.method === "HEAD" ? undefined : body);
    } catch (error) {
      response.writeHead(500).end(String(error));
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    });
  });
}

class TestFailure extends Error {}

function check(condition, message) {
  if (!condition) throw new TestFailure(message);
}

let stepName = "setup";
function step(name) {
  stepName = name;
  console.log(`- ${name}`);
}

async function main() {
  const [rootArg, shotsArg] = process.argv.slice(2);
  if (!rootArg || !shotsArg) usage("REPO_ROOT and SCREENSHOT_DIR are required");
  const root = path.resolve(rootArg);
  const shots = path.resolve(shotsArg);
  for (const needed of ["examples/web/index.html", "bindings/js/src/index.js"]) {
    if (!(await stat(path.join(root, needed)).catch(() => null))) {
      usage(`${path.join(root, needed)} is missing (build the package with scripts/build-wasm)`);
    }
  }
  await mkdir(shots, { recursive: true });

  const { server, origin } = await serve(root);
  let browser = null;
  const watchdog = setTimeout(() => {
    console.error(
      `player_test: FAILED: timed out after ${OVERALL_TIMEOUT_MS} ms (at: ${stepName})`);
    process.exit(1);
  }, OVERALL_TIMEOUT_MS);
  watchdog.unref();

  const problems = [];
  try {
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      headless: true,
      timeout: 30000,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.on("console", (message) => {
      if (message.type() === "error") {
        const where = message.location();
        problems.push(`console error: ${message.text()} (${where.url}:${where.lineNumber})`);
      }
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.stack || error.message}`));
    page.on("requestfailed", (request) => {
      const failure = request.failure();
      problems.push(`request failed: ${request.url()} (${failure ? failure.errorText : "?"})`);
    });
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    const noProblems = () => check(problems.length === 0, problems.join("\n"));

    const state = () => page.evaluate(() => document.body.dataset.state);
    const waitState = async (word, timeout = STEP_TIMEOUT_MS) => {
      try {
        await page.waitForFunction((w) => document.body.dataset.state === w, word, { timeout });
      } catch {
        const status = await page.textContent("#status").catch(() => "?");
        throw new TestFailure(`expected state "${word}", status is "${status}"`);
      }
    };
    const history = () =>
      page.evaluate((key) => JSON.parse(localStorage.getItem(key) || "[]"), HISTORY_KEY);
    const text = async (selector) => ((await page.textContent(selector)) ?? "").trim();

    // ----- A: a whole session
    step(`A: open back_basics at ${SPEED}x`);
    await page.goto(`${origin}/examples/web/index.html?speed=${SPEED}&routine=back_basics`);
    await waitState("ready");
    check((await text("#status")) === "ready", `#status is "${await text("#status")}"`);
    const routines = await page.locator("#routine-select option").evaluateAll((options) =>
      options.map((o) => o.value));
    check(routines.join(",") === "back_basics,back_basics_plus",
      `the routine list comes from the catalog: ${routines.join(",")}`);
    const prompt = await text("#prompts li .text");
    check(prompt.length > 10, `today's prompts show the habit's words: "${prompt}"`);
    const rects = await page.locator("#timeline rect").count();
    check(rects > 5, `the timeline has ${rects} bars, expected more than 5`);
    const marks = await page.locator("#timeline .cue-mark").count();
    check(marks > 5, `the timeline has ${marks} cue marks, expected more than 5`);
    check(await page.locator("#record").isHidden(), "#record is visible before the session");
    const prompts = await page.locator("#prompts li time").count();
    check(prompts > 0, "no posture prompts for today");
    await page.screenshot({ path: path.join(shots, "start.png"), fullPage: true });
    noProblems();

    step("A: start, pause in the first hold");
    // At 50x a hold lasts ~100 ms, less than a round trip from here may take: the user's hand
    // is an observer in the page that presses Pause as the first hold appears.
    await page.evaluate(() => {
      const phase = document.querySelector("#phase-name");
      const observer = new MutationObserver(() => {
        if (phase.dataset.phase === "hold") {
          observer.disconnect();
          document.querySelector("#pause").click();
        }
      });
      observer.observe(phase, { attributes: true, attributeFilter: ["data-phase"] });
    });
    await page.click("#start");
    await waitState("paused");
    const holdPhase = await page.getAttribute("#phase-name", "data-phase");
    check(holdPhase === "hold", `paused in phase "${holdPhase}", expected the hold`);
    const holdLabel = await text("#phase-name");
    check(/hold/i.test(holdLabel), `the hold phase is labelled "${holdLabel}"`);

    step("A: paused, the countdown stops");
    check((await text("#pause")) === "Resume", `#pause says "${await text("#pause")}" when paused`);
    await page.screenshot({ path: path.join(shots, "hold.png"), fullPage: true });
    const countdownNow = () =>
      page.evaluate(() => {
        const c = document.querySelector("#countdown");
        return `${c.dataset.remainingMs}|${c.textContent}`;
      });
    const before = await countdownNow();
    await page.waitForTimeout(500);
    const after = await countdownNow();
    check(before === after, `the countdown moved while paused: ${before} -> ${after}`);
    check((await state()) === "paused", "the session left the paused state by itself");

    step("A: resume with the space key");
    // The focus is on #pause: the key must toggle once, not also click the button.
    await page.keyboard.press(" ");
    await waitState("running");
    await page.waitForTimeout(100);
    check((await state()) === "running", "space toggled twice (paused again)");
    check((await text("#pause")) === "Pause", `#pause says "${await text("#pause")}" when running`);

    step("A: asymmetry report");
    await page.click("#side-left");

    step("A: skip, the exercise changes");
    const blockBefore = Number(await page.getAttribute("#exercise-name", "data-block"));
    await page.click("#skip");
    await page.waitForFunction(
      (b) => Number(document.querySelector("#exercise-name").dataset.block) > b ||
        document.body.dataset.state === "finished",
      blockBefore,
    );
    const blockAfter = Number(await page.getAttribute("#exercise-name", "data-block"));
    check(blockAfter > blockBefore, `the block stayed ${blockBefore} after skip`);

    step("A: the end");
    await waitState("finished", 60000);
    check(await page.locator("#record").isVisible(), "#record is hidden at the end");
    const endA = (await page.getAttribute("#record", "data-end-reason")) ?? "";
    check(endA.includes("COMPLETED"), `end reason "${endA}", expected COMPLETED`);
    const rows = await page.locator("#record-blocks tbody tr").count();
    check(rows >= 4, `the record table has ${rows} rows, expected one per block (4)`);
    const historyA = await history();
    check(historyA.length === 1, `history has ${historyA.length} entries, expected 1`);
    check(int(historyA[0].record.skips) >= 1, "the record counts no skip");
    const reports = historyA[0].record.reports ?? [];
    check(
      reports.some((r) => r.kind === "REPORT_ASYMMETRY" && r.side === "LEFT"),
      `the record has no left asymmetry report: ${JSON.stringify(reports)}`,
    );
    const progressNow = Number(await page.getAttribute("#progress", "aria-valuenow"));
    check(progressNow === 100, `progress is ${progressNow} at the end, expected 100`);
    check((await page.locator("#history li").count()) === 1, "#history does not list 1 session");
    check((await page.locator("#use-next").count()) === 1, "no 'Use this routine next' offered");
    await page.screenshot({ path: path.join(shots, "end.png"), fullPage: true });
    noProblems();

    // ----- B: a safety stop
    step("B: reload, start, report pain 7");
    await page.reload();
    await waitState("ready");
    await page.click("#start");
    await waitState("running");
    await page.fill("#pain-slider", "7");
    check((await text("#pain-value")) === "7", "the pain value does not follow the slider");
    await page.click("#report-pain");
    await waitState("finished");
    const endB = (await page.getAttribute("#record", "data-end-reason")) ?? "";
    check(endB.includes("SAFETY"), `end reason "${endB}", expected a SAFETY stop`);
    const historyB = await history();
    check(historyB.length === 2, `history has ${historyB.length} entries, expected 2`);
    check((await page.locator("#history li").count()) === 2, "#history does not list 2 sessions");
    await page.screenshot({ path: path.join(shots, "safety.png"), fullPage: true });
    noProblems();

    // ----- C: the gate and the next routine
    step("C: back_basics_plus needs the attestation");
    await page.selectOption("#routine-select", "back_basics_plus");
    await waitState("error");
    const refusal = await text("#routine-error");
    check(/attest/i.test(refusal), `the refusal does not name the attestation: "${refusal}"`);
    check(await page.isDisabled("#start"), "#start is enabled for a routine that can't run");
    await page.check("#attest");
    await waitState("ready");
    check((await page.locator("#timeline rect").count()) > 5, "no timeline for back_basics_plus");

    step("C: use the next routine");
    await page.click("#use-next");
    await waitState("ready");
    check(
      (await page.inputValue("#routine-select")) === "next",
      "the next routine is not selected after 'Use this routine next'",
    );
    check((await page.locator("#timeline rect").count()) > 5, "no timeline for the next routine");
    noProblems();

    // ----- D: offline, from the service worker's cache
    step("D: offline: the page loads and autostarts from the cache");
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, {
      timeout: 10000,
    }).catch(() => {
      throw new TestFailure("no service worker controls the page");
    });
    await context.setOffline(true);
    try {
      await page.goto(
        `${origin}/examples/web/index.html?speed=${SPEED}&routine=back_basics&autostart=1`);
      await waitState("running");
      const probe = `${origin}/README.md?offline-probe`;
      const reached = await page.evaluate((url) =>
        fetch(url).then(() => true, () => false), probe);
      check(!reached, "the network was still reachable: the offline check proves nothing");
      for (let i = problems.length - 1; i >= 0; i--) {
        if (problems[i].includes("offline-probe")) problems.splice(i, 1);
      }
      noProblems();
    } finally {
      await context.setOffline(false);
    }

    console.log(`player_test: PASSED (screenshots in ${shots})`);
  } catch (error) {
    const reason = error instanceof TestFailure ? error.message : error.stack || String(error);
    console.error(`player_test: FAILED at "${stepName}": ${reason}`);
    if (problems.length > 0) console.error(`also seen:\n  ${problems.join("\n  ")}`);
    process.exitCode = 1;
  } finally {
    clearTimeout(watchdog);
    if (browser) await browser.close().catch(() => undefined);
    server.closeAllConnections?.();
    server.close();
  }
}

function int(value) {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

main().catch((error) => {
  console.error(`player_test: FAILED: ${error.stack || error}`);
  process.exit(1);
});
