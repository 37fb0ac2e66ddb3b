// Sessions in the user's language (SessionOptions.locale) and the host's speech ends
// (session.speechEnded), through the WebAssembly build.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Catalog, Regimen, Session, decode } from "../src/index.js";

function runToEnd(session) {
  const events = [];
  for (;;) {
    events.push(...session.events());
    if (session.finished) return events;
    session.tick(session.nextDeadline);
  }
}

function inLocale(locale) {
  const catalog = Catalog.default();
  const session = new Session(catalog, catalog.routine("back_basics"), { locale });
  catalog.close();
  session.start(0);
  const cues = runToEnd(session).filter((e) => e.type === "CUE");
  const record = session.record();
  session.close();
  return { cues, record };
}

test("German cues, every one spoken", async () => {
  await Regimen.load();
  const { cues, record } = inLocale("de");
  assert.match(cues[0].text, /^Mach dich bereit/);
  assert.equal(record.locale, "de");
  assert.equal(record.cuesSpoken, record.cuesTriggered);
});

test("es-MX falls back to es; xx to the source with a note; de_AT is refused", async () => {
  await Regimen.load();
  assert.equal(inLocale("es-MX").record.locale, "es");
  const xx = inLocale("xx");
  assert.equal(xx.record.locale, "en");
  assert.match(xx.record.notes[0], /"xx" is not in the pack/);
  assert.match(xx.cues[0].text, /^Get ready/);
  const catalog = Catalog.default();
  assert.throws(
    () => new Session(catalog, catalog.routine("back_basics"), { locale: "de_AT" }),
    (e) => e.code === "INVALID_ARGUMENT" && /BCP 47/.test(e.message),
  );
  catalog.close();
});

test("speechEnded holds the next cue until the real end plus the gap", async () => {
  await Regimen.load();
  const catalog = Catalog.default();
  const session = new Session(catalog, catalog.routine("back_basics"));
  catalog.close();
  assert.throws(() => session.speechEnded("count_in", 0), (e) => e.code === "FAILED_PRECONDITION");
  session.start(0);
  const first = session.events().find((e) => e.type === "CUE");
  const ended = first.atMs + 10000;
  session.speechEnded(first.cueId, ended);
  let next;
  while (next === undefined) {
    session.tick(session.nextDeadline);
    next = session.events().find((e) => e.type === "CUE");
  }
  // The default cue gap is 250 ms.
  assert.ok(next.atMs >= ended + 250, `next cue at ${next.atMs}, speech ended at ${ended}`);
  assert.throws(() => session.speechEnded("no_such_cue", next.atMs), (e) => e.code === "NOT_FOUND");
  assert.throws(() => session.speechEnded("", next.atMs), (e) => e.code === "INVALID_ARGUMENT");
  assert.throws(() => session.speechEnded(7, next.atMs), (e) => e.code === "INVALID_ARGUMENT");
  runToEnd(session);
  session.speechEnded(first.cueId, ended + 1_000_000); // after the end: a no-op
  session.close();
});

test("the module's pack carries every translation without the translators' source texts", async () => {
  await Regimen.load();
  const catalog = Catalog.default();
  const pack = decode("regimen.v1.Catalog", catalog.bytes());
  catalog.close();
  assert.deepEqual(pack.translations.map((t) => t.locale), ["de", "es"]);
  for (const translations of pack.translations) {
    assert.ok(translations.messages.length > 200, `${translations.locale}: ${translations.messages.length} texts`);
    for (const message of translations.messages) {
      assert.ok(message.text, `${translations.locale} ${message.id} has its text`);
      // `source` is for `regimen l10n` (native) only: left out of the wasm module (its size).
      assert.ok(!message.source, `${translations.locale} ${message.id} has no source text`);
    }
  }
});
