// The weight dialog reads the register's scale: GET /register/scale answers what the scale said (a steady weight fills
// the weight field out of band), asks again while the weight moves, says why when it cannot, and changes nothing.
// A register without a scale gets 204 and keeps its typed weight.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type FakeScale, openFakeScale, statusFrame, weightFrame } from "../helpers/fake-scale.ts";
import { ptyDeviceRules } from "../helpers/pty.ts";
import { makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";
import { state } from "../security/support.ts";

let t: TestStore;
let lane: SignedIn;
let scale: FakeScale;
beforeEach(async () => {
  t = makeTestStore({ deviceRules: ptyDeviceRules });
  lane = await signIn(t.store, 1);
  scale = await openFakeScale(weightFrame("00.742"));
});
afterEach(async () => {
  await scale.close();
  t.close();
});

const get = (path: string) => t.app.request(path, { headers: { ...lane.headers, "HX-Request": "true" } });
const plugIn = () =>
  t.store.devices.setScale({ userId: null, userName: null, registerName: null }, { registerId: lane.registerId, path: scale.path, baud: 9600, framing: "7E1" });
/** The reading line's state and words, and the weight field sent with it (out of band), if any. */
async function said(res: Response) {
  const html = await res.text();
  const line = /<p id="scale-reading"[^>]*data-state="([a-z]+)"[^>]*>([\s\S]*?)<\/p>/.exec(html);
  const field = /<input id="weigh-kg"[^>]*>/.exec(html)?.[0] ?? null;
  return {
    state: line?.[1] ?? null,
    text: (line?.[2] ?? "")
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ")
      .trim(),
    field,
    polls: /hx-get="\/register\/scale\?attempt=(\d+)"[^>]*hx-trigger="load delay/.exec(line?.[0] ?? "")?.[1] ?? null,
  };
}

test("the weight dialog asks for the scale as it opens, under a weight field the cashier can always type in", async () => {
  const res = await get("/register/dialog/weigh/5");
  const html = await res.text();
  expect(html).toMatch(/<input id="weigh-kg" name="qty"[^>]*autofocus/);
  expect(html).toMatch(/<p id="scale-reading"[^>]*hx-get="\/register\/scale"[^>]*hx-trigger="load"/);
  expect(html).toContain("Reading the scale…");
});

test("a register without a scale: 204, nothing to swap, so a weight being typed stays", async () => {
  const res = await get("/register/scale");
  expect(res.status).toBe(204);
  expect(await res.text()).toBe("");
  expect(scale.questions()).toBe(0);
});

describe("a register with a scale", () => {
  beforeEach(() => plugIn());

  test("a steady 0.742 kg: said on the line, and the weight field filled with 0.742 (out of band) for Enter", async () => {
    const before = state(t.store);
    const r = await said(await get("/register/scale"));
    expect(r.state).toBe("stable");
    expect(r.text).toBe("From the scale: 0.742 kg. Enter adds it. Read the scale again");
    expect(r.field).toMatch(/value="0.742"/);
    expect(r.field).toMatch(/hx-swap-oob="true"/);
    expect(r.field).toMatch(/autofocus/);
    expect(r.polls).toBeNull();
    expect(scale.questions()).toBe(1);
    expect(state(t.store)).toEqual(before); // GET changes nothing
  });

  test("in motion: 'Hold still…' and ask again; still moving at the last try: say so and stop asking", async () => {
    scale.answer(statusFrame({ motion: true }));
    const first = await said(await get("/register/scale"));
    expect(first).toMatchObject({ state: "waiting", text: "Hold still…", field: null, polls: "2" });
    const later = await said(await get("/register/scale?attempt=7"));
    expect(later.polls).toBe("8");
    const last = await said(await get("/register/scale?attempt=8"));
    expect(last).toMatchObject({ state: "unsteady", field: null, polls: null });
    expect(last.text).toContain("did not settle");
    expect(last.text).toContain("Read the scale again");
  });

  test("moving, then steady on the next ask: the weight is filled", async () => {
    scale.answer(statusFrame({ motion: true }), weightFrame("00.742"));
    expect((await said(await get("/register/scale"))).state).toBe("waiting");
    const r = await said(await get("/register/scale?attempt=2"));
    expect(r.state).toBe("stable");
    expect(r.field).toMatch(/value="0.742"/);
  });

  test("nothing on the scale yet (centre of zero): asks the cashier to put the item on, and asks again", async () => {
    scale.answer(statusFrame({ centreOfZero: true }));
    expect(await said(await get("/register/scale"))).toMatchObject({ state: "waiting", text: "Put the item on the scale…", field: null, polls: "2" });
  });

  test("under zero and over capacity say why, leave the field alone and offer to read again", async () => {
    scale.answer(statusFrame({ underZero: true }), statusFrame({ overCapacity: true }));
    const under = await said(await get("/register/scale"));
    expect(under).toMatchObject({ state: "problem", field: null, polls: null });
    expect(under.text).toContain("below zero");
    const over = await said(await get("/register/scale"));
    expect(over.text).toContain("too heavy");
    expect(over.text).toContain("type the weight");
  });

  test("a scale that does not answer: the cashier is told to type the weight", async () => {
    scale.answer(null);
    const r = await said(await get("/register/scale"));
    expect(r).toMatchObject({ state: "unavailable", field: null, polls: null });
    expect(r.text).toContain(`The scale on ${scale.path} did not answer`);
    expect(r.text).toContain("Type the weight.");
  });

  test("another register's scale is not this one's: a register without its own gets 204", async () => {
    const other = await signIn(t.store, 2);
    const res = await t.app.request("/register/scale", { headers: { ...other.headers, "HX-Request": "true" } });
    expect(res.status).toBe(204);
    expect(scale.questions()).toBe(0);
  });
});
