//! Photo downscaling in a real browser (headless Chromium): a 12-megapixel picture becomes a
//! 1600 px JPEG within 300 KB (timed, on both kinds of canvas), small pictures are not enlarged,
//! the EXIF orientation of a camera JPEG is honoured, and what is not a picture is an error.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Promise, Uint8Array};
use safewalk::photos::{downscale, downscale_with, fit, Canvas, Photo, PhotoError, MAX_BYTES, MAX_EDGE};
use wasm_bindgen::{Clamped, JsCast};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{
    Blob, BlobPropertyBag, CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap, ImageBitmapOptions, ImageData, ImageOrientation,
};

wasm_bindgen_test_configure!(run_in_browser);

fn log(line: String) {
    web_sys::console::log_1(&line.into());
}

fn now() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

fn canvas(width: u32, height: u32) -> (HtmlCanvasElement, CanvasRenderingContext2d) {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document.create_element("canvas").unwrap().unchecked_into();
    canvas.set_width(width);
    canvas.set_height(height);
    let context = canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    (canvas, context)
}

async fn encode(canvas: &HtmlCanvasElement, mime: &str, quality: f64) -> Blob {
    let promise = Promise::new(&mut |resolve: Function, _| {
        canvas.to_blob_with_type_and_encoder_options(&resolve, mime, &quality.into()).unwrap();
    });
    JsFuture::from(promise).await.unwrap().unchecked_into()
}

fn blob(bytes: &[u8], mime: &str) -> Blob {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    Blob::new_with_u8_array_sequence_and_options(&Array::of1(&Uint8Array::from(bytes)), &options).unwrap()
}

async fn bytes(blob: &Blob) -> Vec<u8> {
    Uint8Array::new(&JsFuture::from(blob.array_buffer()).await.unwrap()).to_vec()
}

/// The stored JPEG decoded again (it carries no EXIF): its real size and its pixels.
async fn decoded(photo: &Photo) -> (u32, u32, Vec<u8>) {
    let window = web_sys::window().unwrap();
    let bitmap: ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(&photo.blob).unwrap()).await.unwrap().unchecked_into();
    let (w, h) = (bitmap.width(), bitmap.height());
    let (_canvas, context) = canvas(w, h);
    context.draw_image_with_image_bitmap(&bitmap, 0.0, 0.0).unwrap();
    let pixels = context.get_image_data(0.0, 0.0, w as f64, h as f64).unwrap().data().0;
    (w, h, pixels)
}

fn luma(pixels: &[u8], width: u32, x: u32, y: u32) -> u32 {
    let i = ((y * width + x) * 4) as usize;
    (pixels[i] as u32 * 3 + pixels[i + 1] as u32 * 6 + pixels[i + 2] as u32) / 10
}

/// A picture with what makes camera photos hard to compress: smooth light, edges at many
/// scales, fine texture and sensor noise.
fn paint_scene(context: &CanvasRenderingContext2d, width: u32, height: u32) {
    let mut pixels = vec![0u8; (width * height * 4) as usize];
    let mut noise = 0x9E37_79B9u32;
    for y in 0..height {
        for x in 0..width {
            noise ^= noise << 13;
            noise ^= noise >> 17;
            noise ^= noise << 5;
            let grain = (noise & 31) as i32 - 16;
            // Tiles of different texture, like bricks, leaves, signs and sky.
            let tile = ((x / 173) * 7 + (y / 131) * 13) % 5;
            let texture = match tile {
                0 => ((x ^ y) & 63) as i32,
                1 => (((x * x + y * y) >> 9) & 127) as i32 - 64,
                2 => {
                    if (x / 6 + y / 6) % 2 == 0 {
                        40
                    } else {
                        -40
                    }
                }
                3 => ((x * 3 + y * 5) % 97) as i32 - 48,
                _ => 0,
            };
            let i = ((y * width + x) * 4) as usize;
            let base = [x * 200 / width, y * 200 / height, (x + y) * 120 / (width + height) + 60];
            for (c, b) in base.iter().enumerate() {
                pixels[i + c] = (*b as i32 + texture + grain * (c as i32 + 1) / 2).clamp(0, 255) as u8;
            }
            pixels[i + 3] = 255;
        }
    }
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&pixels), width, height).unwrap();
    context.put_image_data(&image, 0.0, 0.0).unwrap();
}

/// A camera-sized JPEG (quality 1.0, as phones write them large).
async fn twelve_megapixels() -> Blob {
    let (canvas, context) = canvas(4000, 3000);
    paint_scene(&context, 4000, 3000);
    let jpeg = encode(&canvas, "image/jpeg", 1.0).await;
    canvas.set_width(0);
    jpeg
}

fn check_jpeg(photo: &Photo) {
    assert_eq!(photo.blob.type_(), "image/jpeg");
    assert_eq!(photo.bytes, photo.blob.size() as u64);
}

#[wasm_bindgen_test]
async fn a_12_megapixel_photo_becomes_a_1600_px_jpeg_within_300_kb() {
    let input = twelve_megapixels().await;
    // The browser's decode alone, for comparison with the whole processing.
    let mut decodes = Vec::new();
    for _ in 0..3 {
        let options = ImageBitmapOptions::new();
        options.set_image_orientation(ImageOrientation::FromImage);
        let start = now();
        let promise = web_sys::window().unwrap().create_image_bitmap_with_blob_and_image_bitmap_options(&input, &options).unwrap();
        let bitmap: ImageBitmap = JsFuture::from(promise).await.unwrap().unchecked_into();
        decodes.push(now() - start);
        bitmap.close();
    }
    decodes.sort_by(f64::total_cmp);
    log(format!("12 MP input: 4000x3000 JPEG, {} KB; decode alone {:.0} ms median", input.size() as u64 / 1024, decodes[1]));
    for kind in [Canvas::Auto, Canvas::Element] {
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..3 {
            let start = now();
            let photo = downscale_with(&input, kind).await.unwrap();
            times.push(now() - start);
            last = Some(photo);
        }
        let photo = last.unwrap();
        times.sort_by(f64::total_cmp);
        log(format!(
            "12 MP -> {}x{} JPEG q{} {} KB on {kind:?} canvas: {:.0} ms median of {:?}",
            photo.width,
            photo.height,
            photo.quality,
            photo.bytes / 1024,
            times[1],
            times.iter().map(|t| t.round()).collect::<Vec<_>>()
        ));
        check_jpeg(&photo);
        assert_eq!((photo.width, photo.height), (1600, 1200));
        assert!(photo.bytes <= MAX_BYTES, "{} bytes", photo.bytes);
        let (w, h, _) = decoded(&photo).await;
        assert_eq!((w, h), (1600, 1200), "the JPEG itself is 1600x1200");
    }
}

#[wasm_bindgen_test]
async fn a_small_picture_is_not_enlarged() {
    let (canvas, context) = canvas(800, 600);
    paint_scene(&context, 800, 600);
    let png = encode(&canvas, "image/png", 1.0).await;
    for kind in [Canvas::Auto, Canvas::Offscreen, Canvas::Element] {
        let photo = downscale_with(&png, kind).await.unwrap();
        check_jpeg(&photo);
        assert_eq!((photo.width, photo.height), (800, 600), "{kind:?}");
        assert_eq!(photo.quality, 0.8, "small enough at the first quality");
        assert_eq!(decoded(&photo).await.0, 800);
    }
}

#[wasm_bindgen_test]
async fn a_portrait_picture_is_limited_on_its_long_edge() {
    let (canvas, context) = canvas(1200, 2400);
    paint_scene(&context, 1200, 2400);
    let photo = downscale(&encode(&canvas, "image/jpeg", 0.9).await).await.unwrap();
    assert_eq!((photo.width, photo.height), (800, 1600));
}

#[wasm_bindgen_test]
fn fit_keeps_the_aspect_ratio_and_never_enlarges() {
    assert_eq!(fit(4000, 3000, MAX_EDGE), (1600, 1200));
    assert_eq!(fit(3000, 4000, MAX_EDGE), (1200, 1600));
    assert_eq!(fit(4032, 3024, MAX_EDGE), (1600, 1200));
    assert_eq!(fit(1600, 900, MAX_EDGE), (1600, 900));
    assert_eq!(fit(800, 600, MAX_EDGE), (800, 600));
    assert_eq!(fit(10000, 1, MAX_EDGE), (1600, 1));
    assert_eq!(fit(0, 0, MAX_EDGE), (0, 0));
}

/// An APP1 segment holding only EXIF tag 0x0112 Orientation = `orientation`, big-endian TIFF.
fn exif_orientation(orientation: u8) -> Vec<u8> {
    let segment = vec![
        0xFF,
        0xE1, // APP1
        0x00,
        0x22, // length 34, counting these two bytes
        b'E',
        b'x',
        b'i',
        b'f',
        0x00,
        0x00, // "Exif\0\0"
        b'M',
        b'M',
        0x00,
        0x2A, // TIFF header: big-endian, 42
        0x00,
        0x00,
        0x00,
        0x08, // first IFD at offset 8
        0x00,
        0x01, // one entry
        0x01,
        0x12, // tag Orientation
        0x00,
        0x03, // type SHORT
        0x00,
        0x00,
        0x00,
        0x01, // count 1
        0x00,
        orientation,
        0x00,
        0x00, // the value, padded to 4 bytes
        0x00,
        0x00,
        0x00,
        0x00, // no next IFD
    ];
    assert_eq!(segment.len(), 2 + 0x22);
    segment
}

/// A `width`×`height` JPEG, dark on its left half and light on its right, with the EXIF
/// segment placed right after the start-of-image marker.
async fn jpeg_with_orientation(width: u32, height: u32, orientation: Option<u8>) -> Blob {
    let (canvas, context) = canvas(width, height);
    context.set_fill_style_str("#000");
    context.fill_rect(0.0, 0.0, width as f64 / 2.0, height as f64);
    context.set_fill_style_str("#fff");
    context.fill_rect(width as f64 / 2.0, 0.0, width as f64 / 2.0, height as f64);
    let plain = bytes(&encode(&canvas, "image/jpeg", 1.0).await).await;
    assert_eq!(&plain[..2], &[0xFF, 0xD8]);
    let mut jpeg = plain[..2].to_vec();
    if let Some(orientation) = orientation {
        jpeg.extend(exif_orientation(orientation));
    }
    jpeg.extend_from_slice(&plain[2..]);
    blob(&jpeg, "image/jpeg")
}

#[wasm_bindgen_test]
async fn exif_orientation_6_turns_the_picture_upright() {
    // Without EXIF: stored as it is, 32 wide, 16 high.
    let plain = downscale(&jpeg_with_orientation(32, 16, None).await).await.unwrap();
    assert_eq!((plain.width, plain.height), (32, 16));

    // Orientation 6 (the phone held upright, sensor sideways): rotate 90° clockwise to show.
    let photo = downscale(&jpeg_with_orientation(32, 16, Some(6)).await).await.unwrap();
    check_jpeg(&photo);
    assert_eq!((photo.width, photo.height), (16, 32), "width and height swap");
    let (w, h, pixels) = decoded(&photo).await;
    assert_eq!((w, h), (16, 32));
    // The left (dark) half of the sensor image is now on top.
    assert!(luma(&pixels, w, 8, 4) < 60, "top is dark");
    assert!(luma(&pixels, w, 8, 28) > 200, "bottom is light");

    // Orientation 8 turns the other way: the dark half goes to the bottom.
    let photo = downscale(&jpeg_with_orientation(32, 16, Some(8)).await).await.unwrap();
    let (w, _, pixels) = decoded(&photo).await;
    assert!(luma(&pixels, w, 8, 4) > 200 && luma(&pixels, w, 8, 28) < 60);
}

#[wasm_bindgen_test]
async fn a_rotated_camera_photo_is_oriented_then_downscaled() {
    let photo = downscale(&jpeg_with_orientation(3200, 1600, Some(6)).await).await.unwrap();
    assert_eq!((photo.width, photo.height), (800, 1600));
}

#[wasm_bindgen_test]
async fn what_is_not_a_picture_is_an_error_not_a_panic() {
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    assert_eq!(downscale(&blob(&garbage, "image/jpeg")).await.unwrap_err(), PhotoError::NotAnImage);
    assert_eq!(downscale(&blob(&garbage, "")).await.unwrap_err(), PhotoError::NotAnImage);
    assert_eq!(downscale(&blob(b"%PDF-1.7\n", "application/pdf")).await.unwrap_err(), PhotoError::NotAnImage);
    assert_eq!(downscale(&blob(b"", "image/jpeg")).await.unwrap_err(), PhotoError::NotAnImage);
    assert_eq!(PhotoError::NotAnImage.to_string(), "this file is not a picture");

    // A picture format the browser cannot read (a truncated PNG here; HEIC on most browsers).
    let mut broken_png = b"\x89PNG\r\n\x1a\n".to_vec();
    broken_png.extend(&garbage[..200]);
    match downscale(&blob(&broken_png, "image/png")).await {
        Err(PhotoError::DecodeFailed { format: "PNG", message }) => log(format!("broken PNG: {message}")),
        other => panic!("expected DecodeFailed for PNG, got {other:?}"),
    }
    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.extend(&garbage[..200]);
    match downscale(&blob(&heic, "image/heic")).await {
        Err(e @ PhotoError::DecodeFailed { format: "HEIC", .. }) => {
            assert!(e.to_string().starts_with("this browser cannot read this HEIC picture"))
        }
        other => panic!("expected DecodeFailed for HEIC, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn transparency_becomes_white_not_black() {
    let (canvas, _context) = canvas(20, 20);
    let transparent = encode(&canvas, "image/png", 1.0).await;
    let photo = downscale(&transparent).await.unwrap();
    let (w, _, pixels) = decoded(&photo).await;
    assert!(luma(&pixels, w, 10, 10) > 245, "white background");
}

#[wasm_bindgen_test]
fn errors_read_clearly() {
    let unreadable =
        PhotoError::DecodeFailed { format: "HEIC", message: "InvalidStateError: The source image could not be decoded.".into() };
    assert_eq!(
        unreadable.to_string(),
        "this browser cannot read this HEIC picture (InvalidStateError: The source image could not be decoded.)"
    );
    assert!(PhotoError::OutOfMemory.to_string().starts_with("not enough memory"));
}
