// Using up the origin's localStorage quota, as another app on the origin or a long-lived
// browser profile would, and giving it back.
import type { Page } from "@playwright/test";

/** Fills localStorage until not even one more character fits; returns the keys it used. */
export async function fillStorage(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const keys: string[] = [];
    let piece = "x".repeat(1 << 20);
    while (piece.length > 0) {
      const key = `other-app.junk.${keys.length}`;
      try {
        localStorage.setItem(key, piece);
        keys.push(key);
      } catch {
        piece = piece.slice(0, piece.length >> 1);
      }
    }
    return keys;
  });
}

export async function freeStorage(page: Page, keys: string[]): Promise<void> {
  await page.evaluate((junk) => junk.forEach((key) => localStorage.removeItem(key)), keys);
}
