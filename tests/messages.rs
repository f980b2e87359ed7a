//! The messages build.rs generates from src/i18n/messages.toml: values land where each
//! language places them, English says "1 inspection" for one, and the words shared with the
//! office pages are core's.
#![cfg(target_arch = "wasm32")]

use safewalk::i18n::{EN, ZH};
use safewalk_core::grading::Grade;
use safewalk_core::inspection::words;
use safewalk_core::{Answer, Lang};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn values_land_where_each_language_places_them() {
    assert_eq!((EN.answered)(3, 10), "3/10 answered");
    assert_eq!((ZH.answered)(3, 10), "3/10 已答");
    assert_eq!((EN.delivery_rejected)(422, "bad"), "Refused by the server; kept on this device: 422 bad");
    assert_eq!((ZH.det_too_few_votes)(4, 5), "同意4票，不足三分之二（至少须5票）");
}

#[wasm_bindgen_test]
fn english_counts_one_inspection_apart_from_several() {
    let tail =
        "only on this phone, the oldest since 2026-01-02. A browser may clear a site's data it has not seen for a while: back them up.";
    assert_eq!((EN.at_risk)(1, "2026-01-02"), format!("1 inspection exists {tail}"));
    assert_eq!((EN.at_risk)(2, "2026-01-02"), format!("2 inspections exist {tail}"));
    assert!((ZH.at_risk)(1, "2026-01-02").starts_with("有 1 条检查仅保存在本机"));
}

#[wasm_bindgen_test]
fn words_shared_with_the_office_are_cores() {
    assert_eq!(EN.grade_major, words::grade(Grade::Major, Lang::En));
    assert_eq!(ZH.grade_major, words::grade(Grade::Major, Lang::Zh));
    assert_eq!(ZH.answer(Answer::Hazard), words::answer(Answer::Hazard, Lang::Zh));
    assert_ne!(EN.note, ZH.note);
}
