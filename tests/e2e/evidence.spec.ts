// What an inspection proves (issue 5): photos made small on the phone and kept in IndexedDB,
// where the inspector stood, who signed; delivered with every picture exactly once, also
// when the connection drops between pictures; signing locks it; the printed report has the
// hazard table, the photos and the signatures; backup → cleared storage → restore gives
// everything unsent back; exports are what they say. All on a phone viewport, like the rest.
import { BrowserContext, Page, Route } from "@playwright/test";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { App, expect, Position, SAMPLE_DETAILS, SAMPLE_RECTIFICATION, StoredAttachment, test } from "./support/app";
import { choosePictureInPage, clearSiteStorage, jpegFile, storedPicture, storedPictureIds } from "./support/images";
import { distDir, StaticServer } from "./support/server";
import { item, items, Sector, template } from "./support/templates";

const SECTOR: Sector = "commercial-complex";
const text = (id: string) => item(SECTOR, id).text.en;
/** A general hazard with a planned rectification, and two items that get photos. */
const HAZARD = "cc-sys-03";
const HAZARD_NOTE = "Stock pallets under the fire shutter of unit B2-14";
const PHOTO_ITEMS = [HAZARD, "cc-evac-01"] as const;

/** Where the inspector stands: the Bund, Shanghai. */
const PRECISE = { latitude: 31.2304, longitude: 121.4737, accuracy: 12 };
/** Under a concrete roof: the same place, 90 m accuracy. */
const IMPRECISE = { latitude: 31.2305, longitude: 121.4739, accuracy: 90 };

async function allowLocation(context: BrowserContext, server: StaticServer, at: { latitude: number; longitude: number; accuracy: number }) {
  await context.grantPermissions(["geolocation"], { origin: new URL(server.url).origin });
  await context.setGeolocation(at);
}

const asPosition = (at: { latitude: number; longitude: number; accuracy: number }): Position => ({
  lat: at.latitude,
  lon: at.longitude,
  accuracy_m: at.accuracy,
});

test.describe("photos", () => {
  test("a 12-megapixel camera picture is kept as an upright JPEG of at most 300 KB, 1600 px on the long edge, in IndexedDB and not in localStorage", async ({
    context,
    page,
    server,
  }) => {
    await allowLocation(context, server, PRECISE);
    const app = new App(page, server.url);
    await app.open();
    const id = await app.startInspection(SECTOR);
    await app.goToChecklist();
    const ITEM = PHOTO_ITEMS[1];
    // No photo buttons on an unanswered item: the checklist stays light.
    await expect(app.photoStrip(app.item(ITEM))).toHaveCount(0);
    await app.answer(ITEM, "compliant");
    const strip = app.photoStrip(app.item(ITEM));
    await expect(strip.getByTestId("photo-take")).toHaveAttribute("capture", "environment");
    await expect(strip.getByTestId("photo-take")).toHaveAttribute("accept", "image/*");

    // A phone held upright: the sensor's 4000×3000 picture with EXIF orientation 6 (turn 90°
    // clockwise to show), so its red top must end up on the right.
    const size = await choosePictureInPage(page, strip.getByTestId("photo-take"), { width: 4000, height: 3000, orientation: 6, seed: 12 });
    expect(size, "the camera file is megabytes, not trivially compressible").toBeGreaterThan(5_000_000);
    // Progress while it is processed; no second photo meanwhile.
    await expect(strip.getByTestId("photo-status")).toHaveText(new RegExp(`^(${app.t.photoLocating}|${app.t.photoProcessing})$`));
    await expect(strip.getByTestId("photo-choose")).toBeDisabled();
    await app.expectPhotoSaved(strip, 1);

    const [photo] = await app.storedAttachments(id, "photo");
    expect(photo).toMatchObject({ kind: "photo", item: ITEM, content_type: "image/jpeg", width: 1200, height: 1600, position: asPosition(PRECISE) });
    expect(photo.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(photo.bytes).toBeLessThanOrEqual(300 * 1024);
    const stored = (await storedPicture(page, photo.id))!;
    expect(stored).toMatchObject({ size: photo.bytes, type: "image/jpeg", sha256: photo.sha256, width: 1200, height: 1600 });
    expect(stored.magic).toMatch(/^ffd8ff/);
    const [r, , b] = [0, 1, 2];
    expect(stored.right[r] - stored.right[b], `right third ${stored.right} is the red top`).toBeGreaterThan(30);
    expect(stored.left[b] - stored.left[r], `left third ${stored.left} is the blue bottom`).toBeGreaterThan(30);

    // The same size of picture from the gallery, landscape, without an orientation tag.
    await choosePictureInPage(page, strip.getByTestId("photo-choose"), { width: 4000, height: 3000, seed: 13 });
    await app.expectPhotoSaved(strip, 2);
    const second = (await app.storedAttachments(id, "photo"))[1];
    expect(second).toMatchObject({ width: 1600, height: 1200 });
    expect(second.bytes).toBeLessThanOrEqual(300 * 1024);
    expect((await storedPicture(page, second.id))!).toMatchObject({ size: second.bytes, sha256: second.sha256, width: 1600, height: 1200 });

    // The thumbnails show the stored pictures, named by item and time, with the accuracy.
    const thumbs = app.photos(strip);
    await expect(thumbs.nth(0).getByRole("img")).toHaveAttribute("alt", await app.photoAlt(text(ITEM), photo.taken_at));
    await expect(thumbs.nth(1).getByRole("img")).toHaveAttribute("alt", await app.photoAlt(text(ITEM), second.taken_at));
    await app.expectPicturesShown(thumbs.getByRole("img"));
    await expect(thumbs.getByTestId("photo-accuracy")).toHaveText(["±12 m", "±12 m"]);

    // localStorage holds the record (a few KB), never the pictures.
    const local = await page.evaluate(() => Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)!.length] as const));
    for (const [key, length] of local) expect(length, key).toBeLessThan(100_000);

    // Still there after a reload, from the device.
    await app.reload();
    await expect(app.photos(app.item(ITEM))).toHaveCount(2);
    await app.expectPicturesShown(app.photos(app.item(ITEM)).getByRole("img"));
    expect(await storedPictureIds(page)).toEqual([photo.id, second.id].sort());
  });
});

// ---------------------------------------------------------------------------------------
// An inspection with its evidence, and its delivery

/** The photos and signatures an inspection with evidence ends up with. */
const SIGNERS = [
  { name: "Wang Wei", role: "inspector" },
  { name: "Zhao Li", role: "site_representative" },
] as const;

/**
 * From Home, with location allowed at PRECISE: the details with the start position, a hazard
 * (rectified) with a precise photo, a compliant item with an imprecise one (warned), every
 * other item compliant, then the review signed by the inspector and the site's
 * representative. Not completed. Returns the inspection's id.
 */
async function inspectionWithEvidence(app: App, context: BrowserContext): Promise<string> {
  const { page, t } = app;
  const id = await app.startInspection(SECTOR);
  await app.fillDetails(SAMPLE_DETAILS);

  // Where the inspection starts.
  await expect(app.position()).toHaveText(t.locationNone);
  await expect(app.recordLocationButton()).toHaveText(t.recordLocation);
  await app.recordLocationButton().click();
  await expect(app.position()).toHaveText("31.23040, 121.47370 (±12 m)");
  await expect(page.getByTestId("position-warning")).toBeHidden();
  await expect(page.getByTestId("location-problem")).toBeEmpty();
  await expect(app.recordLocationButton()).toHaveText(t.recordLocationAgain);
  await app.expectStored(id, (s) => expect(s.position).toEqual(asPosition(PRECISE)));
  await app.goToChecklist();

  // A precise photo of the hazard.
  await app.findHazard(HAZARD, HAZARD_NOTE);
  const hazardStrip = app.photoStrip(app.item(HAZARD));
  await app.addPhoto(hazardStrip, await jpegFile(page, { width: 2000, height: 1500, seed: 1 }));
  await expect(app.photos(hazardStrip).getByTestId("photo-accuracy")).toHaveText("±12 m");
  await expect(hazardStrip.getByTestId("photo-location")).toBeEmpty();
  await app.rectify(HAZARD, SAMPLE_RECTIFICATION);

  // Each photo asks for a position, but the browser answers from a fix up to a minute old
  // within the same page (maximumAge): the move under the roof is read after a reload.
  await context.setGeolocation(IMPRECISE);
  await app.reload();
  const [, other] = PHOTO_ITEMS;
  await app.answer(other, "compliant");
  const otherStrip = app.photoStrip(app.item(other));
  await app.addPhoto(otherStrip, await jpegFile(page, { width: 1500, height: 2000, seed: 2 }), "choose");
  const accuracy = app.photos(otherStrip).getByTestId("photo-accuracy");
  await expect(accuracy).toHaveText(`±90 m ${t.accuracyImprecise}`);
  await expect(accuracy).toHaveClass(/photo-inaccurate/);
  await expect(otherStrip.getByTestId("photo-location")).toHaveText(t.accuracyPoor);
  const photos = await app.storedAttachments(id, "photo");
  expect(photos.map((p) => [p.item, p.position])).toEqual([
    [HAZARD, asPosition(PRECISE)],
    [other, asPosition(IMPRECISE)],
  ]);

  await app.answerAll(SECTOR, { [HAZARD]: "hazard" });
  await app.openReview();
  await expect(page.getByTestId("missing")).toHaveCount(0);
  await expect(app.signatureForm()).toBeVisible();
  await expect(page.getByTestId("signatures")).toBeEmpty();
  await expect(page.getByText(t.noSignatures)).toBeVisible();
  for (const { name, role } of SIGNERS) await app.sign(name, role);
  await expect(page.getByTestId("signed-locked")).toHaveText(`${t.signedLocked} ${t.completeAfterSigning}`);
  const signatures = await app.storedAttachments(id, "signature");
  expect(signatures.map((s) => s.signer)).toEqual(SIGNERS.map((s) => ({ ...s })));
  for (const [n, signature] of signatures.entries()) {
    expect(signature).toMatchObject({ content_type: "image/png", width: 900, height: 300 });
    const entry = app.signatures().nth(n);
    const role = SIGNERS[n].role === "inspector" ? t.roleInspector : t.roleSiteRep;
    await expect(entry).toHaveText(`${SIGNERS[n].name} · ${role}${await app.formatTime(signature.taken_at)}`);
    await expect(entry.getByRole("img")).toHaveAttribute("alt", `${t.signatureOf} ${SIGNERS[n].name}`);
    const picture = (await storedPicture(app.page, signature.id))!;
    expect(picture).toMatchObject({ type: "image/png", magic: "89504e47", size: signature.bytes, sha256: signature.sha256, width: 900, height: 300 });
  }
  await app.expectPicturesShown(app.signatures().getByRole("img"));
  return id;
}

/** One upload as the network saw it: answered; reached the receiver but the answer was
 * lost; or never reached it. */
interface Upload {
  what: "record" | string;
  outcome: "answered" | "lost" | "failed";
  status?: number;
}

/** What to do to the n-th attachment upload (1-based), once. */
type Fault = (route: Route) => Promise<Upload["outcome"]>;

/** Watches the record's POST and every attachment PUT (through to the receiver), checking
 * each PUT's hash header against its body; `faults` interfere with chosen PUTs. */
async function watchUploads(page: Page, faults: Record<number, Fault> = {}): Promise<Upload[]> {
  const log: Upload[] = [];
  const pass = async (route: Route, what: string) => {
    try {
      const response = await route.fetch();
      log.push({ what, outcome: "answered", status: response.status() });
      await route.fulfill({ response });
    } catch {
      log.push({ what, outcome: "failed" });
      await route.abort("internetdisconnected").catch(() => {});
    }
  };
  await page.route("**/inspections", (route) => (route.request().method() === "POST" ? pass(route, "record") : route.fallback()));
  let puts = 0;
  await page.route("**/inspections/*/attachments/*", async (route) => {
    const request = route.request();
    if (request.method() !== "PUT") return route.fallback();
    const what = new URL(request.url()).pathname.split("/").pop()!;
    const body = request.postDataBuffer() ?? Buffer.alloc(0);
    expect(request.headers()["x-content-sha256"], `the hash header of ${what}`).toBe(createHash("sha256").update(body).digest("hex"));
    const fault = faults[++puts];
    if (!fault) return pass(route, what);
    const outcome = await fault(route);
    log.push({ what, outcome });
  });
  return log;
}

/** The upload rules: the record first and once; then each picture until it is answered,
 * and never again after that. A picture sent twice was not answered the first time. */
function expectSentOnce(log: Upload[], attachments: StoredAttachment[]): void {
  const answered = log.filter((u) => u.outcome === "answered");
  expect(answered.map((u) => u.what).sort(), "each part answered exactly once").toEqual(["record", ...attachments.map((a) => a.id)].sort());
  expect(log.filter((u) => u.what === "record" && u.outcome !== "failed"), "the record reached the receiver once").toHaveLength(1);
  const recordAt = log.findIndex((u) => u.what === "record" && u.outcome === "answered");
  for (const attachment of attachments) {
    const sends = log.map((u, n) => ({ ...u, n })).filter((u) => u.what === attachment.id);
    expect(sends[0].n, `picture ${attachment.id} after the record`).toBeGreaterThan(recordAt);
    // Only the last send of a picture is answered: nothing answered is sent again.
    expect(sends.slice(0, -1).every((u) => u.outcome !== "answered"), `sends of ${attachment.id}: ${JSON.stringify(sends)}`).toBe(true);
    expect(sends[sends.length - 1]).toMatchObject({ outcome: "answered", status: expect.any(Number) });
  }
}

/** The receiver holds the record once, with every listed picture, byte for byte; its office
 * page, opened in the same browser as the app, shows each of them. */
async function expectReceiverHasEverything(app: App, server: StaticServer, id: string): Promise<void> {
  const onDevice = (await app.stored(id))!;
  const listed = onDevice.attachments!;
  const stored = await server.stored();
  expect(stored.total).toBe(1);
  expect(stored.items.map((i) => i.id)).toEqual([id]);
  const row = stored.items[0] as { payload: { inspection: unknown }; attachments_received: number };
  expect(row.payload.inspection).toEqual(onDevice);
  expect(row.attachments_received).toBe(listed.length);
  for (const attachment of listed) {
    const response = await fetch(`${server.url}inspections/${id}/attachments/${attachment.id}`, { headers: server.readerHeaders });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(attachment.content_type);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(attachment.sha256);
  }
  const office = await app.page.context().newPage();
  try {
    await server.signInToOffice(office);
    await office.goto(`${server.url}office/${id}`);
    const images = office.locator(`img[src^="/inspections/${id}/attachments/"]`);
    await expect(images).toHaveCount(listed.length);
    for (const image of await images.all()) {
      await image.scrollIntoViewIfNeeded();
      await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    }
    await expect(office.getByText("未收到")).toHaveCount(0);
  } finally {
    await office.close();
  }
}

test.describe("delivery with photos and signatures", () => {
  test.setTimeout(120_000);

  test("made offline with 2 photos (one imprecise) and 2 signatures: back online, the record and every picture arrive exactly once", async ({
    context,
    page,
    server,
  }) => {
    await allowLocation(context, server, PRECISE);
    const log = await watchUploads(page);
    const app = new App(page, server.url);
    await app.open();
    await app.waitForServiceWorker();
    await server.stop();
    await context.setOffline(true);

    const id = await inspectionWithEvidence(app, context);
    await app.complete();
    await expect(app.deliveryStatus()).toHaveText(new RegExp(`^${app.t.deliveryFailed} \\(network error: `));
    const attachments = await app.storedAttachments(id);
    expect(attachments.map((a) => a.kind)).toEqual(["photo", "photo", "signature", "signature"]);
    expect(log.filter((u) => u.outcome !== "failed")).toEqual([]);

    await server.serve(distDir);
    await context.setOffline(false);
    const record = await app.expectDelivered(id);
    expect(record.attachments).toEqual(attachments.map((a) => ({ id: a.id, acked: true })));
    expectSentOnce(log, attachments);
    expect(log.filter((u) => u.outcome === "answered").map((u) => u.status)).toEqual(Array(1 + attachments.length).fill(201));
    expect(log.filter((u) => u.outcome !== "failed")).toHaveLength(1 + attachments.length);
    await expectReceiverHasEverything(app, server, id);

    // Nothing more goes out: a reload and "Send now" on Home find nothing unsent.
    await app.reload();
    await app.goHome();
    await app.expectUnsent(0);
    expect(log.filter((u) => u.outcome !== "failed")).toHaveLength(1 + attachments.length);
  });

  const drops: { name: string; fault: (context: BrowserContext) => Fault }[] = [
    {
      name: "the connection drops before the second picture reaches the receiver",
      fault: () => async (route) => {
        await route.abort("internetdisconnected");
        return "failed";
      },
    },
    {
      name: "the receiver stores the second picture but its answer is lost as the phone goes offline",
      fault: (context) => async (route) => {
        await route.fetch();
        await context.setOffline(true);
        await route.abort("internetdisconnected");
        return "lost";
      },
    },
  ];
  for (const { name, fault } of drops) {
    test(`${name}: later only what is missing is sent`, async ({ context, page, server }) => {
      await allowLocation(context, server, PRECISE);
      const log = await watchUploads(page, { 2: fault(context) });
      const app = new App(page, server.url);
      await app.open();
      const id = await inspectionWithEvidence(app, context);
      await app.complete();
      const attachments = await app.storedAttachments(id);

      // The record and the first picture are acknowledged; the second is not.
      await expect.poll(() => log.length).toBeGreaterThanOrEqual(3);
      const [first, second] = attachments;
      expect(log.slice(0, 3).map((u) => u.what)).toEqual(["record", first.id, second.id]);
      if (log[2].outcome === "lost") {
        // Offline now: it waits, knowing what was acknowledged.
        await expect(app.deliveryStatus()).toHaveText(new RegExp(`^${app.t.deliveryFailed} `));
        const waiting = (await app.outboxRecord(id))!;
        expect(waiting.record_receipt).toMatchObject({ id, status: "stored" });
        expect(waiting.attachments).toEqual(attachments.map((a) => ({ id: a.id, acked: a.id === first.id })));
        expect((await server.stored()).items[0].attachments_received).toBe(2);
        await context.setOffline(false);
      }
      const record = await app.expectDelivered(id);
      expect(record.attachments).toEqual(attachments.map((a) => ({ id: a.id, acked: true })));
      expectSentOnce(log, attachments);
      // A picture the receiver already holds is answered "duplicate" (200), not stored again.
      const resent = log.filter((u) => u.what === second.id && u.outcome === "answered");
      expect(resent).toEqual([{ what: second.id, outcome: "answered", status: log[2].outcome === "lost" ? 200 : 201 }]);
      // The second picture went twice (its first send unanswered), everything else once.
      expect(log.filter((u) => u.outcome !== "failed" || u.what === second.id).map((u) => u.what)).toEqual([
        "record",
        first.id,
        second.id,
        second.id,
        ...attachments.slice(2).map((a) => a.id),
      ]);
      await expectReceiverHasEverything(app, server, id);
    });
  }
});

test.describe("location, delete, lock", () => {
  test("location refused: the inspector is told clearly, the inspection goes on, and the photo is kept without a position", async ({
    context,
    page,
    server,
  }) => {
    // The browser (or the inspector) refuses location for the site.
    await context.clearPermissions();
    const app = new App(page, server.url);
    await app.open();
    const id = await app.startInspection(SECTOR);
    await app.recordLocationButton().click();
    await expect(page.getByTestId("location-problem")).toHaveText(app.t.locationDenied);
    await expect(page.getByTestId("location-problem")).toHaveAttribute("role", "alert");
    await expect(app.position()).toHaveText(app.t.locationNone);
    await expect(app.recordLocationButton()).toBeEnabled();
    // The details go on being filled in, and nothing about a position is stored.
    await app.fillDetails(SAMPLE_DETAILS);
    await app.expectStored(id, (s) => {
      expect(s.site.name).toBe(SAMPLE_DETAILS.siteName);
      expect(s.position).toBeUndefined();
    });

    await app.goToChecklist();
    await app.findHazard(HAZARD, HAZARD_NOTE);
    const strip = app.photoStrip(app.item(HAZARD));
    await app.addPhoto(strip, await jpegFile(page, { width: 1600, height: 1200, seed: 3 }));
    await expect(strip.getByTestId("photo-location")).toHaveText(app.t.locationDenied);
    await expect(app.photos(strip).getByTestId("photo-accuracy")).toHaveText(app.t.noPosition);
    const [photo] = await app.storedAttachments(id, "photo");
    expect(photo.position).toBeUndefined();
    expect((await storedPicture(page, photo.id))!.sha256).toBe(photo.sha256);

    // …and the inspection is completed as usual.
    await app.rectify(HAZARD, SAMPLE_RECTIFICATION);
    await app.answerAll(SECTOR, { [HAZARD]: "hazard" });
    await app.openReview();
    await app.complete();
    await app.expectDelivered(id);
    expect((await server.stored()).items[0].attachments_received).toBe(1);
  });

  test("a photo is deleted only after “Yes”: “No” keeps it; “Yes” removes it from the page, the record and IndexedDB", async ({ page, server }) => {
    const app = new App(page, server.url);
    await app.open();
    const id = await app.startInspection(SECTOR);
    await app.goToChecklist();
    const ITEM = PHOTO_ITEMS[1];
    await app.answer(ITEM, "not_applicable");
    const strip = app.photoStrip(app.item(ITEM));
    await app.addPhoto(strip, await jpegFile(page, { width: 1200, height: 900, seed: 4 }));
    await app.addPhoto(strip, await jpegFile(page, { width: 1200, height: 900, seed: 5 }), "choose");
    const [kept, doomed] = await app.storedAttachments(id, "photo");
    expect(await storedPictureIds(page)).toEqual([kept.id, doomed.id].sort());

    const thumb = app.photos(strip).nth(1);
    const yes = thumb.getByTestId("photo-delete-yes");
    const no = thumb.getByTestId("photo-delete-no");
    await expect(yes).toBeHidden();
    await thumb.getByTestId("photo-delete").click();
    await expect(thumb.getByRole("group", { name: app.t.photoDeleteConfirm })).toBeVisible();
    await expect(yes).toHaveText(app.t.photoDeleteYes);
    await expect(no).toBeFocused();

    // "No, keep it": nothing changes, focus back on Delete.
    await no.click();
    await expect(yes).toBeHidden();
    await expect(thumb.getByTestId("photo-delete")).toBeFocused();
    await expect(app.photos(strip)).toHaveCount(2);
    expect((await app.storedAttachments(id, "photo")).map((a) => a.id)).toEqual([kept.id, doomed.id]);
    expect(await storedPictureIds(page)).toEqual([kept.id, doomed.id].sort());

    // "Yes, delete": gone from the page, the record and the device.
    await thumb.getByTestId("photo-delete").click();
    await yes.click();
    await expect(app.photos(strip)).toHaveCount(1);
    await expect(strip.getByTestId("photo-status")).toHaveText(app.t.photoDeleted);
    await expect(strip).toBeFocused();
    await expect(app.photos(strip).getByRole("img")).toHaveAttribute("alt", await app.photoAlt(text(ITEM), kept.taken_at));
    await app.expectStored(id, (s) => expect(s.attachments!.map((a) => a.id)).toEqual([kept.id]));
    await expect.poll(() => storedPictureIds(page)).toEqual([kept.id]);
    expect(await storedPicture(page, doomed.id)).toBeNull();

    await app.reload();
    await expect(app.photos(app.item(ITEM))).toHaveCount(1);
    await app.expectPicturesShown(app.photos(app.item(ITEM)).getByRole("img"));
  });

  test("a signed inspection cannot be changed anywhere, also after a reload; others can still sign, and it is then completed", async ({
    context,
    page,
    server,
  }) => {
    await allowLocation(context, server, PRECISE);
    const app = new App(page, server.url);
    await app.open();
    const id = await app.startInspection(SECTOR);
    await app.fillDetails(SAMPLE_DETAILS);
    await app.recordLocationButton().click();
    await expect(app.position()).toContainText("±12 m");
    await app.goToChecklist();
    await app.findHazard(HAZARD, HAZARD_NOTE);
    await app.addPhoto(app.photoStrip(app.item(HAZARD)), await jpegFile(page, { width: 1600, height: 1200, seed: 6 }));
    await app.rectify(HAZARD, SAMPLE_RECTIFICATION);
    await app.answerAll(SECTOR, { [HAZARD]: "hazard" });
    await app.openReview();
    await app.sign("Wang Wei", "inspector");
    const signed = (await app.stored(id))!;

    const expectLocked = async () => {
      // Review: the banner; the exclusions are fixed; completing is still the inspector's act.
      await page.goto(`${server.url}#/i/${id}/review`);
      await expect(page.getByRole("heading", { level: 1, name: app.t.review })).toBeVisible();
      await expect(page.getByTestId("signed-locked")).toBeVisible();
      for (const box of await page.getByRole("checkbox").all()) await expect(box).toBeDisabled();
      await expect(app.completeButton()).toBeEnabled();

      // Checklist: every answer button disabled, notes read-only, photos shown without inputs or delete.
      await page.getByRole("link", { name: app.t.checklist }).first().click();
      await expect(page.getByTestId("locked")).toHaveText(app.t.signedLocked);
      const answers = page.locator("article.item").getByRole("group").getByRole("button");
      // Three answers per item, counted from the data: issue 11 added the direct items 6.5 and 6.6.
      await expect(answers).toHaveCount(3 * items(SECTOR).length);
      for (const button of await answers.all()) await expect(button).toBeDisabled();
      await expect(app.item(HAZARD).getByLabel(app.t.hazardNoteLabel)).not.toBeEditable();
      await expect(page.getByTestId("photo-take")).toHaveCount(0);
      await expect(page.getByTestId("photo-choose")).toHaveCount(0);
      await expect(page.getByTestId("photo-delete")).toHaveCount(0);
      await expect(app.photos(app.item(HAZARD))).toHaveCount(1);
      // A tap on a disabled answer does nothing.
      await app.answerButton(HAZARD, "compliant").click({ force: true });
      await expect(app.answerButton(HAZARD, "hazard")).toHaveAttribute("aria-pressed", "true");

      // Hazard page: grade and rectification read-only, no photo inputs.
      await app.hazardLink(HAZARD).click();
      await app.expectHazardPage(HAZARD);
      await expect(app.rectificationField("measures")).not.toBeEditable();
      await expect(app.gradeChoice("rule")).toBeDisabled();
      await expect(app.onTheSpotBox()).toBeDisabled();
      await expect(page.getByTestId("photo-take")).toHaveCount(0);
      await expect(app.photos()).toHaveCount(1);

      // Details: fields read-only, the position can no longer be recorded.
      await page.goto(`${server.url}#/i/${id}/details`);
      await expect(app.field("siteName")).toHaveValue(SAMPLE_DETAILS.siteName);
      for (const name of ["siteName", "address", "enterprise", "principal", "principalPhone", "department", "inspectors"] as const) {
        await expect(app.field(name)).not.toBeEditable();
      }
      await expect(app.field("category")).toBeDisabled();
      await expect(app.recordLocationButton()).toHaveCount(0);
      await expect(app.position()).toContainText("±12 m");
    };
    await expectLocked();
    await app.reload();
    await expectLocked();
    // Nothing of it changed on the device.
    expect(await app.stored(id)).toEqual(signed);

    // The site's representative still signs; then the inspector completes it.
    await page.goto(`${server.url}#/i/${id}/review`);
    await app.sign("Zhao Li", "site_representative");
    await app.complete();
    await expect(page.getByTestId("signed-locked")).toHaveCount(0);
    await expect(app.signatureForm()).toHaveCount(0);
    await expect(app.signatures()).toHaveCount(2);
    await app.expectDelivered(id);
  });

  test("the receiver's office pages open in a browser where the app has run", async ({ page, server }) => {
    // Once a bug: public/sw.js answered the navigation to /office with the app shell.
    const app = new App(page, server.url);
    await app.open();
    await app.waitForServiceWorker();
    await page.goto(`${server.url}office`);
    // Not signed in: the receiver's sign-in page, not the app shell.
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("办公室登录", { timeout: 5_000 });
    await server.signInToOffice(page);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("已接收的检查", { timeout: 5_000 });
  });
});

test("the printed report (A4 PDF) has the site, the counts, the hazard table, the photos, the signatures and the seal of what was delivered", async ({ context, page, server }) => {
  test.setTimeout(120_000);
  await allowLocation(context, server, PRECISE);
  const app = new App(page, server.url);
  const { t } = app;
  await app.open();
  const id = await inspectionWithEvidence(app, context);
  const sent = page.waitForRequest((r) => r.method() === "POST" && new URL(r.url()).pathname === "/inspections");
  await app.complete();
  const delivered = (await sent).postDataBuffer()!;
  const completedAt = (await app.stored(id))!.completed_at!;
  await app.openReport(id);

  // As printed: only the report, without the app's header or the report's buttons.
  await page.emulateMedia({ media: "print" });
  const report = page.getByTestId("report");
  await expect(page.getByRole("banner")).toBeHidden();
  await expect(page.getByRole("button", { name: t.print })).toBeHidden();
  await expect(report.getByRole("heading", { level: 1 })).toHaveText(template(SECTOR).title.en);
  const d = SAMPLE_DETAILS;
  const facts = report.locator(".report-facts dd");
  await expect(facts).toHaveText([
    d.siteName,
    d.address,
    `${template(SECTOR).sector.en} · ${template(SECTOR).site_categories.find((c) => c.id === d.category)!.name.en}`,
    d.enterprise,
    `${d.principal} · ${d.principalPhone}`,
    `${d.department} · ${d.inspectors}`,
    await app.formatTime(completedAt),
  ]);
  const total = items(SECTOR).length;
  await expect(page.getByTestId("report-counts")).toHaveText(`${t.compliant} ${total - 1} · ${t.hazard} 1 · ${t.notApplicable} 0 · ${t.unanswered} 0`);

  // The hazard table: grade (with why), the item and what was found, basis, rectification, deadline.
  const rows = page.getByTestId("hazard-table").locator("tbody tr");
  await expect(rows).toHaveCount(1);
  const cells = rows.first().locator("td");
  const r = SAMPLE_RECTIFICATION;
  await expect(cells).toHaveText([
    "1",
    new RegExp(`^${t.gradeGeneral}`),
    `${text(HAZARD)}${HAZARD_NOTE}`,
    item(SECTOR, HAZARD).basis,
    `${r.measures} — ${r.unit} ${r.person} ${r.role} ${r.phone}`,
    r.deadline,
  ]);

  // The photos, the hazard's first, each captioned by its checklist number, and loaded.
  const photos = (await app.storedAttachments(id, "photo")).sort((a) => (a.item === HAZARD ? -1 : 1));
  const figures = page.getByTestId("report-photo");
  await expect(figures).toHaveCount(2);
  const numbered = (itemId: string) => `${items(SECTOR).findIndex((i) => i.id === itemId) + 1}. ${text(itemId)}`;
  for (const [n, photo] of photos.entries()) {
    const when = await app.formatTime(photo.taken_at);
    await expect(figures.nth(n).locator("figcaption")).toHaveText(`${numbered(photo.item!)} · ${when}`);
    await expect(figures.nth(n).getByRole("img")).toHaveAttribute("alt", `${numbered(photo.item!)} (${when})`);
  }
  await app.expectPicturesShown(figures.getByRole("img"));
  // Who signed.
  await expect(app.signatures()).toHaveCount(2);
  await expect(app.signatures().locator("strong")).toHaveText(SIGNERS.map((s) => s.name));
  await app.expectPicturesShown(app.signatures().getByRole("img"));

  // The seal: the SHA-256 of exactly the bytes the receiver got, in eight groups, and a QR code
  // of the office's verify link for it (the phone's endpoint is this receiver).
  const seal = createHash("sha256").update(delivered).digest("hex");
  await expect(page.getByTestId("seal-text")).toHaveText(seal.match(/.{8}/g)!.join(" "));
  await expect(page.getByTestId("seal-qr")).toHaveAttribute("data-content", `${server.url.replace(/\/$/, "")}/verify/${seal}`);
  await expect(page.getByTestId("seal-qr").locator("path")).toHaveAttribute("d", /^(M\d+ \d+h1v1h-1z){100,}$/);

  // Printing to PDF gives A4 pages with the pictures in them.
  const pdf = await page.pdf({ format: "A4" });
  expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  expect(pdf.length).toBeGreaterThan(10_000);
  const raw = pdf.toString("latin1");
  const boxes = [...raw.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
  expect(boxes.length).toBeGreaterThan(0);
  // A4 is 595.3 × 841.9 points.
  for (const [w, h] of boxes) {
    expect(Math.abs(w - 595.3)).toBeLessThan(2);
    expect(Math.abs(h - 841.9)).toBeLessThan(2);
  }
  // Two photos (as JPEG) and two signatures, embedded as images.
  expect((raw.match(/\/Subtype\s*\/Image/g) ?? []).length).toBeGreaterThanOrEqual(4);
  expect((raw.match(/\/DCTDecode/g) ?? []).length).toBeGreaterThanOrEqual(2);

  // The office verifies the printed seal against what it stored; one digit changed does not match.
  await page.emulateMedia({ media: "screen" });
  await page.goto(`${server.url.replace(/\/$/, "")}/verify/${seal}`);
  await expect(page.locator(".verdict")).toHaveClass(/\bmatch\b/);
  const altered = `${seal.slice(0, 63)}${seal.endsWith("0") ? "1" : "0"}`;
  await page.goto(`${server.url.replace(/\/$/, "")}/verify/${altered}`);
  await expect(page.locator(".verdict")).toHaveClass(/\bno-match\b/);
});

// ---------------------------------------------------------------------------------------
// Backup, restore and export (Settings → Data)

/** The lines of the Data section's message. */
async function expectDataMessage(app: App, lines: string[], kind: "success" | "warning" = "success"): Promise<void> {
  await expect(app.dataMessage().locator("p")).toHaveText(lines);
  await expect(app.dataMessage()).toHaveClass(new RegExp(`banner-${kind}`));
}

/** A draft at another site with two photos, on two items. */
async function draftWithPhotos(app: App, siteName: string): Promise<string> {
  const id = await app.startInspection(SECTOR);
  await app.fillDetails({ siteName, address: "3 Old Street" });
  await app.goToChecklist();
  for (const [n, itemId] of PHOTO_ITEMS.entries()) {
    await app.answer(itemId, "not_applicable");
    await app.addPhoto(app.photoStrip(app.item(itemId)), await jpegFile(app.page, { width: 1200, height: 1600, seed: 20 + n }));
  }
  await app.writeNote(PHOTO_ITEMS[1], 'Exit "B", north side, closed for works');
  await app.expectStored(id, (s) => expect(s.answers[PHOTO_ITEMS[1]].note).toBe('Exit "B", north side, closed for works'));
  return id;
}

/** What "Back up everything unsent" writes (core/src/backup.rs, format 1). */
interface BackupFile {
  format: number;
  app: string;
  inspections: { id: string }[];
  outbox: { records: { id: string }[] };
  library: { templates: { id: string; version: string }[] };
  pictures: { id: string; content_type: string; sha256: string; base64: string }[];
}

test("backup → storage cleared → restore gives back every unsent inspection with its pictures; only what the receiver lacks is sent; restoring again duplicates nothing", async ({
  context,
  page,
  server,
}) => {
  test.setTimeout(150_000);
  await allowLocation(context, server, PRECISE);
  // The connection to the receiver breaks while the second picture of an inspection is sent.
  const log = await watchUploads(page, {
    2: async (route) => {
      await server.stop();
      await route.abort("internetdisconnected");
      return "failed";
    },
  });
  const app = new App(page, server.url);
  const { t } = app;
  await app.open();
  await app.waitForServiceWorker();

  // Delivered: the office has it, so it is not backed up.
  const delivered = await app.completeWholeInspection(SECTOR);
  await app.expectDelivered(delivered);

  // Completed, signed, record and photo acknowledged; its signature is not.
  await app.goHome();
  const partly = await app.startInspection(SECTOR);
  await app.fillDetails({ ...SAMPLE_DETAILS, siteName: "Harbour Point" });
  await app.goToChecklist();
  await app.findHazard(HAZARD, HAZARD_NOTE);
  await app.addPhoto(app.photoStrip(app.item(HAZARD)), await jpegFile(page, { width: 1600, height: 1200, seed: 10 }));
  await app.rectify(HAZARD, SAMPLE_RECTIFICATION);
  await app.answerAll(SECTOR, { [HAZARD]: "hazard" });
  await app.openReview();
  await app.sign("Wang Wei", "inspector");
  await app.complete();
  await expect(app.deliveryStatus()).toHaveText(new RegExp(`^${app.t.deliveryFailed} \\(network error: `));
  const [photo, signature] = await app.storedAttachments(partly);
  expect((await app.outboxRecord(partly))!.attachments).toEqual([
    { id: photo.id, acked: true },
    { id: signature.id, acked: false },
  ]);

  // A draft with two photos.
  await app.goHome();
  const draft = await draftWithPhotos(app, "Old Town Market");
  const unsent = [partly, draft].sort();
  const before = Object.fromEntries(await Promise.all(unsent.map(async (id) => [id, await app.stored(id)] as const)));
  const pictures = [...before[partly]!.attachments!, ...before[draft]!.attachments!];
  expect(pictures).toHaveLength(4);
  const outboxBefore = await app.outboxRecord(partly);

  // ---- Back up everything unsent.
  await app.openSettings();
  await expect(page.getByRole("heading", { level: 2, name: t.dataTitle })).toBeVisible();
  const download = await app.downloadFrom("backup-unsent");
  const file = `safewalk-backup-${await app.today()}.json`;
  expect(download.suggestedFilename()).toBe(file);
  await expectDataMessage(app, [t.backupDone.replace("{n}", "2").replace("{p}", "4").replace("{file}", file)]);
  const path = await download.path();
  const backup = JSON.parse(readFileSync(path, "utf8")) as BackupFile;
  expect(backup).toMatchObject({ format: 1, app: "safewalk" });
  expect(backup.inspections.map((i) => i.id).sort()).toEqual(unsent);
  expect(backup.outbox.records.map((r) => r.id)).toEqual([partly]);
  expect(backup.library.templates.map((x) => x.id)).toContain(SECTOR);
  expect(backup.pictures.map((p) => p.id).sort()).toEqual(pictures.map((p) => p.id).sort());
  for (const picture of backup.pictures) {
    const listed = pictures.find((p) => p.id === picture.id)!;
    expect(picture).toMatchObject({ content_type: listed.content_type, sha256: listed.sha256 });
    expect(createHash("sha256").update(Buffer.from(picture.base64, "base64")).digest("hex")).toBe(listed.sha256);
  }

  // ---- The browser's storage is cleared (site data, or a new phone).
  await clearSiteStorage(page);
  await app.reload();
  await app.goHome();
  await expect(page.getByText(t.noDrafts)).toBeVisible();
  await expect(page.getByText(t.noCompleted)).toBeVisible();
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("safewalk.inspection.")))).toEqual([]);
  expect(await storedPictureIds(page)).toEqual([]);

  // ---- Restore.
  await app.openSettings();
  await app.restoreFrom(path);
  await expectDataMessage(app, [`${t.restoreRestored}2`, `${t.restoreExisting}0`, `${t.restorePictures}4`]);
  for (const id of unsent) expect(await app.stored(id)).toEqual(before[id]);
  for (const picture of pictures) expect((await storedPicture(page, picture.id))!.sha256).toBe(picture.sha256);
  // What the receiver acknowledged stays acknowledged.
  expect(await app.outboxRecord(partly)).toMatchObject({ record_receipt: outboxBefore!.record_receipt, attachments: outboxBefore!.attachments });

  await app.goHome();
  await expect(app.cards("drafts")).toHaveCount(1);
  await expect(app.cards("drafts")).toContainText("Old Town Market");
  await expect(app.cards("completed")).toHaveCount(1);
  await expect(app.cards("completed")).toContainText("Harbour Point");
  await app.expectUnsent(1);
  await app.cards("drafts").click();
  for (const itemId of PHOTO_ITEMS) {
    await expect(app.photos(app.item(itemId))).toHaveCount(1);
    await app.expectPicturesShown(app.photos(app.item(itemId)).getByRole("img"));
  }

  // ---- Restoring the same file again changes nothing.
  const keys = async () => (await page.evaluate(() => Object.keys(localStorage))).filter((k) => k.startsWith("safewalk.inspection.")).sort();
  expect(await keys()).toEqual(unsent.map((id) => `safewalk.inspection.${id}`));
  await app.openSettings();
  await app.restoreFrom(path);
  await expectDataMessage(app, [`${t.restoreRestored}0`, `${t.restoreExisting}2`, `${t.restorePictures}0`]);
  expect(await keys()).toEqual(unsent.map((id) => `safewalk.inspection.${id}`));
  expect(await storedPictureIds(page)).toEqual(pictures.map((p) => p.id).sort());
  for (const id of unsent) expect(await app.stored(id)).toEqual(before[id]);
  await app.goHome();
  await expect(app.cards("drafts")).toHaveCount(1);
  await expect(app.cards("completed")).toHaveCount(1);

  // ---- The receiver is back: only the missing signature is sent, and it is delivered.
  const sentBefore = log.length;
  await server.serve(distDir);
  await app.sendNow();
  await app.expectDelivered(partly, app.cards("completed"));
  expect(log.slice(sentBefore).filter((u) => u.outcome !== "failed")).toEqual([{ what: signature.id, outcome: "answered", status: 201 }]);
  const stored = await server.stored();
  expect(stored.items.map((i) => i.id).sort()).toEqual([delivered, partly].sort());
  expect((stored.items.find((i) => i.id === partly) as { attachments_received: number }).attachments_received).toBe(2);
});

/** RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks; rows end in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      (row = []), (field = ""), i++;
    } else field += c;
  }
  if (field !== "" || row.length > 0) throw new Error(`the CSV does not end with CRLF: ${JSON.stringify(row)} ${JSON.stringify(field)}`);
  return rows;
}

test.describe("export", () => {
  // Shanghai time: the CSV's completion time is the phone's local time.
  test.use({ timezoneId: "Asia/Shanghai" });

  test("export all as JSON (the delivered payloads) and as CSV (BOM, one row per item answer, formula-safe)", async ({ page, server }) => {
    test.setTimeout(120_000);
    const app = new App(page, server.url);
    const { t } = app;
    await app.open();
    await app.openSettings();
    await page.getByTestId("export-json").click();
    await expectDataMessage(app, [t.exportNothing]);

    // A completed inspection with a hazard and its photo, and a note a spreadsheet would run.
    await app.goHome();
    const completed = await app.startInspection(SECTOR);
    await app.fillDetails(SAMPLE_DETAILS);
    await app.goToChecklist();
    await app.findHazard(HAZARD, HAZARD_NOTE);
    await app.addPhoto(app.photoStrip(app.item(HAZARD)), await jpegFile(page, { width: 1600, height: 1200, seed: 30 }));
    await app.rectify(HAZARD, SAMPLE_RECTIFICATION);
    await app.answer("cc-mgmt-01", "compliant");
    await app.writeNote("cc-mgmt-01", "=1+1 (checked with the manager)");
    await app.answerAll(SECTOR, { [HAZARD]: "hazard" });
    await app.openReview();
    await app.complete();
    await app.goHome();
    const draft = await draftWithPhotos(app, "Old Town Market");
    const onDevice = { [completed]: (await app.stored(completed))!, [draft]: (await app.stored(draft))! };

    // ---- JSON: one payload per inspection, as delivered.
    await app.openSettings();
    const json = await app.downloadFrom("export-json");
    const jsonFile = `safewalk-inspections-${await app.today()}.json`;
    expect(json.suggestedFilename()).toBe(jsonFile);
    await expectDataMessage(app, [t.exportDone.replace("{n}", "2").replace("{file}", jsonFile)]);
    const payloads = JSON.parse(readFileSync(await json.path(), "utf8")) as {
      schema: number;
      inspection: { id: string };
      grades?: Record<string, { grade: string }>;
    }[];
    expect(payloads.map((p) => p.inspection.id).sort()).toEqual([completed, draft].sort());
    for (const payload of payloads) {
      expect(payload.schema).toBe(2);
      expect(payload.inspection).toEqual(onDevice[payload.inspection.id]);
    }
    const graded = payloads.find((p) => p.inspection.id === completed)!;
    expect(Object.keys(graded.grades!)).toEqual([HAZARD]);
    expect(graded.grades![HAZARD].grade).toBe("general");
    expect(Object.keys(payloads.find((p) => p.inspection.id === draft)!.grades ?? {})).toEqual([]);
    // The office received the same payload.
    await expect.poll(async () => (await server.stored()).items.find((i) => i.id === completed)?.payload).toEqual(graded);

    // ---- CSV: a byte-order mark, the header, one row per item answer.
    const csv = await app.downloadFrom("export-csv");
    const csvFile = `safewalk-inspections-${await app.today()}.csv`;
    expect(csv.suggestedFilename()).toBe(csvFile);
    await expectDataMessage(app, [t.exportDone.replace("{n}", "2").replace("{file}", csvFile)]);
    const bytes = readFileSync(await csv.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(bytes.subarray(3).toString("utf8"));
    expect(header).toEqual(["inspection_id", "site", "sector_zh", "sector_en", "completed_at", "item_id", "item_zh", "item_en", "answer", "note", "grade", "deadline", "standing"]);
    for (const row of rows) expect(row).toHaveLength(header.length);
    const of = (id: string) => rows.filter((r) => r[0] === id);
    const sector = template(SECTOR).sector;

    // The completed one: every item, in checklist order, completed at Shanghai time.
    const local = new Date(onDevice[completed].completed_at! + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
    expect(of(completed).map((r) => r[5])).toEqual(items(SECTOR).map((i) => i.id));
    for (const row of of(completed)) expect(row.slice(1, 5)).toEqual([SAMPLE_DETAILS.siteName, sector.zh, sector.en, local]);
    const hazardRow = of(completed).find((r) => r[5] === HAZARD)!;
    expect(hazardRow.slice(6)).toEqual([item(SECTOR, HAZARD).text.zh, text(HAZARD), "hazard", HAZARD_NOTE, "general", SAMPLE_RECTIFICATION.deadline, ""]);
    expect(of(completed).find((r) => r[5] === "cc-mgmt-01")!.slice(8)).toEqual(["compliant", "'=1+1 (checked with the manager)", "", "", ""]);
    expect(of(completed).filter((r) => r[8] === "compliant")).toHaveLength(items(SECTOR).length - 1);

    // The draft: its two answers, in checklist order, no completion time; quotes and commas intact.
    const [first, second] = [...PHOTO_ITEMS].sort((a, b) => items(SECTOR).findIndex((i) => i.id === a) - items(SECTOR).findIndex((i) => i.id === b));
    expect(of(draft).map((r) => [r[1], r[4], r[5], r[8], r[9]])).toEqual([
      ["Old Town Market", "", first, "not_applicable", first === PHOTO_ITEMS[1] ? 'Exit "B", north side, closed for works' : ""],
      ["Old Town Market", "", second, "not_applicable", second === PHOTO_ITEMS[1] ? 'Exit "B", north side, closed for works' : ""],
    ]);
    expect(rows).toHaveLength(items(SECTOR).length + 2);
  });
});

test("persistent storage is asked for with the first draft (not before), and Settings shows the answer and the storage used", async ({
  page,
  server,
}) => {
  // The browser's answers, recorded: not persisted until asked, granted when asked.
  await page.addInitScript(() => {
    const calls: string[] = [];
    let granted = false;
    Object.assign(window, { __storageCalls: calls });
    navigator.storage.persisted = async () => (calls.push("persisted"), granted);
    navigator.storage.persist = async () => (calls.push("persist"), (granted = true));
  });
  const calls = () => page.evaluate(() => (window as unknown as { __storageCalls: string[] }).__storageCalls);
  const app = new App(page, server.url);
  await app.open("#/settings");
  await expect(page.getByTestId("persistence")).toHaveText(app.t.storageBestEffort);
  await expect(page.getByTestId("storage-usage")).toHaveText(new RegExp(`^${app.t.storageUsed} \\d+\\.\\d MB ${app.t.storageOf} \\d+\\.\\d MB$`));
  expect(await calls()).toEqual(["persisted"]);

  await app.goHome();
  await app.startInspection(SECTOR);
  await expect.poll(calls).toEqual(["persisted", "persist"]);
  await app.openSettings();
  await expect(page.getByTestId("persistence")).toHaveText(app.t.storagePersistent);
  // Asked once: a second draft does not ask again, neither at once nor later. The app asks
  // from a future it spawns when the draft is created, and writes the draft 300 ms on: wait
  // until the draft is stored, then well past both, before reading the calls.
  await app.goHome();
  const second = await app.startInspection(SECTOR);
  await app.expectStored(second, (s) => expect(s.id).toBe(second));
  await page.waitForTimeout(2_000);
  expect(await calls()).toEqual(["persisted", "persist"]);
  await app.openSettings();
  await expect(page.getByTestId("persistence")).toHaveText(app.t.storagePersistent);
  expect(await calls()).toEqual(["persisted", "persist"]);
});
