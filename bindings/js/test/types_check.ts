// Compiled by `tsc --noEmit` (ctest js_types): the declarations of src/index.d.ts describe the
// API the way a TypeScript host uses it; a wrong shape here fails the build of the test.
import {
  Catalog, Regimen, RegimenError, Session, generate, progress, schedule,
  type Message, type SessionEvent, type StatusName,
} from "regimen";

export async function hostSession(): Promise<Message> {
  await Regimen.load();
  const version: string = Regimen.version();
  const zones: readonly string[] = Regimen.timeZones;
  const catalog = Catalog.default();
  const session = new Session(catalog, "back_basics", { attestations: [] });
  session.start(0);
  const seen: SessionEvent[] = [];
  while (!session.finished) {
    for (let e = session.poll(); e !== null; e = session.poll()) seen.push(e);
    const deadline: number = session.nextDeadline;
    if (deadline < 0) break;
    session.tick(deadline);
  }
  seen.push(...session.events());
  session.signal("PAUSE", 1);
  session.report("PAIN", 3, "LEFT", 2);
  session.report("EFFORT", 5, undefined, 3);
  session.speechEnded("count_in", 4);
  const german = new Session(catalog, "back_basics", { locale: "de", awaitSpeechEnd: true });
  german.close();
  const bytes: Uint8Array = session.snapshot();
  const again: Session = Session.restore(bytes);
  again[Symbol.dispose]();
  const record: Message = session.record();
  session.close();
  const routine = generate(catalog, { sessionsPerWeek: 2 });
  progress(catalog, { routine, records: [record] });
  schedule(catalog, { profile: {}, startDate: "2026-12-03", days: 1 });
  catalog.close();
  try {
    Catalog.parse(new Uint8Array([1]));
  } catch (e) {
    if (e instanceof RegimenError) {
      const code: StatusName = e.code;
      const status: number = e.status;
      return { code, status, version, zones: zones.length, events: seen.length };
    }
  }
  return record;
}
