//! Photos from the camera or the gallery, made small enough to keep on the phone and send:
//! decoded by the browser with the camera's EXIF orientation applied, scaled so the long edge
//! is at most [`MAX_EDGE`] (never up), and encoded as JPEG at [`QUALITIES`] in turn until the
//! result fits in [`MAX_BYTES`].
//!
//! Decoding (`createImageBitmap`) and encoding (`convertToBlob` / `toBlob`) run off the main
//! thread in the browser; only the scaling draw runs on it. The work is one `async` call: the
//! caller shows a spinner until it returns.

use std::fmt;

use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, CanvasRenderingContext2d, DomException, HtmlCanvasElement, ImageBitmap, ImageBitmapOptions, ImageEncodeOptions, ImageOrientation,
    OffscreenCanvas, OffscreenCanvasRenderingContext2d,
};

/// The long edge of a stored photo at most, in pixels.
pub const MAX_EDGE: u32 = 1600;
/// A stored photo should be at most this large; the quality steps down until it is.
pub const MAX_BYTES: u64 = 300 * 1024;
/// JPEG qualities tried in turn; the last one is kept even when still over [`MAX_BYTES`].
pub const QUALITIES: [f64; 3] = [0.8, 0.6, 0.5];

/// A processed photo, ready for the blob store.
#[derive(Clone, Debug)]
pub struct Photo {
    /// `image/jpeg`.
    pub blob: Blob,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    /// The JPEG quality that was used.
    pub quality: f64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhotoError {
    /// The file is empty, or its bytes are no picture format the app knows.
    NotAnImage,
    /// A picture (`format` from its first bytes, e.g. "HEIC") this browser could not decode.
    DecodeFailed { format: &'static str, message: String },
    /// The browser could not allocate the decoded picture or the canvas.
    OutOfMemory,
    /// The canvas would not produce a JPEG.
    EncodeFailed(String),
    /// A browser API the processing needs is missing.
    Unsupported(&'static str),
}

impl fmt::Display for PhotoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhotoError::NotAnImage => f.write_str("this file is not a picture"),
            PhotoError::DecodeFailed { format, message } => {
                write!(f, "this browser cannot read this {format} picture ({message})")
            }
            PhotoError::OutOfMemory => f.write_str("not enough memory to process the picture: close other apps or tabs and try again"),
            PhotoError::EncodeFailed(why) => write!(f, "the picture could not be saved as JPEG ({why})"),
            PhotoError::Unsupported(what) => write!(f, "this browser lacks {what}, needed to process photos"),
        }
    }
}

impl std::error::Error for PhotoError {}

/// Which canvas draws and encodes; [`Canvas::Auto`] takes an OffscreenCanvas when the browser
/// has one with a 2D context (Safari before 16.4 does not) and a `<canvas>` element otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Canvas {
    #[default]
    Auto,
    Offscreen,
    Element,
}

/// The size a `width`×`height` picture is stored at: the long edge at most `max_edge`, the
/// aspect ratio kept, never enlarged, never below 1 pixel.
pub fn fit(width: u32, height: u32, max_edge: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= max_edge || long == 0 {
        return (width, height);
    }
    let scale = |edge: u32| ((edge as u64 * max_edge as u64 + long as u64 / 2) / long as u64).max(1) as u32;
    (scale(width), scale(height))
}

/// Decodes, orients, downscales and encodes a picked or captured picture.
pub async fn downscale(image: &Blob) -> Result<Photo, PhotoError> {
    downscale_with(image, Canvas::Auto).await
}

/// [`downscale`] on a chosen kind of canvas (the tests use it to cover both).
pub async fn downscale_with(image: &Blob, canvas: Canvas) -> Result<Photo, PhotoError> {
    if image.size() == 0.0 {
        return Err(PhotoError::NotAnImage);
    }
    let bitmap = decode(image).await?;
    let (width, height) = fit(bitmap.width(), bitmap.height(), MAX_EDGE);
    let surface = Surface::new(canvas, width, height).and_then(|s| s.draw(&bitmap, width, height).map(|()| s));
    // The decoded picture (48 MB for 12 megapixels) is not needed once drawn.
    bitmap.close();
    let surface = surface?;
    let mut photo = None;
    for quality in QUALITIES {
        let blob = surface.encode(quality).await?;
        let bytes = blob.size() as u64;
        let fits = bytes <= MAX_BYTES;
        photo = Some(Photo { blob, width, height, bytes, quality });
        if fits {
            break;
        }
    }
    photo.ok_or_else(|| PhotoError::EncodeFailed("no quality to try".into()))
}

async fn decode(image: &Blob) -> Result<ImageBitmap, PhotoError> {
    let window = web_sys::window().ok_or(PhotoError::Unsupported("a browser window"))?;
    let options = ImageBitmapOptions::new();
    options.set_image_orientation(ImageOrientation::FromImage);
    let decoded = match window.create_image_bitmap_with_blob_and_image_bitmap_options(image, &options) {
        Ok(promise) => JsFuture::from(promise).await,
        Err(e) => Err(e),
    };
    match decoded {
        Ok(bitmap) => bitmap.dyn_into().map_err(|_| PhotoError::Unsupported("createImageBitmap")),
        Err(e) if is_out_of_memory(&e) => Err(PhotoError::OutOfMemory),
        Err(e) => match sniff(image).await {
            Some(format) => Err(PhotoError::DecodeFailed { format, message: describe(&e) }),
            None => Err(PhotoError::NotAnImage),
        },
    }
}

/// The picture format named by the first bytes, `None` when they are no known picture.
async fn sniff(image: &Blob) -> Option<&'static str> {
    let head = image.slice_with_i32_and_i32(0, 16).ok()?;
    let buffer = JsFuture::from(head.array_buffer()).await.ok()?;
    let b = Uint8Array::new(&buffer).to_vec();
    let at = |offset: usize, magic: &[u8]| b.get(offset..offset + magic.len()) == Some(magic);
    let brand = b.get(8..12).unwrap_or_default();
    Some(if at(0, &[0xFF, 0xD8, 0xFF]) {
        "JPEG"
    } else if at(0, b"\x89PNG\r\n\x1a\n") {
        "PNG"
    } else if at(0, b"GIF8") {
        "GIF"
    } else if at(0, b"RIFF") && at(8, b"WEBP") {
        "WebP"
    } else if at(4, b"ftyp") && [b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"].iter().any(|m| brand == *m) {
        "HEIC"
    } else if at(4, b"ftyp") && (brand == b"avif" || brand == b"avis") {
        "AVIF"
    } else if at(0, b"II*\0") || at(0, b"MM\0*") {
        "TIFF"
    } else if at(0, b"BM") {
        "BMP"
    } else if at(0, &[0xFF, 0x0A]) || at(4, b"JXL ") {
        "JPEG XL"
    } else {
        return None;
    })
}

fn describe(error: &JsValue) -> String {
    if let Some(e) = error.dyn_ref::<DomException>() {
        format!("{}: {}", e.name(), e.message())
    } else if let Some(e) = error.dyn_ref::<js_sys::Error>() {
        format!("{}: {}", String::from(e.name()), String::from(e.message()))
    } else {
        error.as_string().unwrap_or_else(|| "unknown error".into())
    }
}

/// Browsers report a failed allocation as a RangeError or as a DOMException whose message
/// speaks of allocation or memory (Chromium: "The ImageBitmap could not be allocated.").
fn is_out_of_memory(error: &JsValue) -> bool {
    if error.is_instance_of::<js_sys::RangeError>() {
        return true;
    }
    let text = describe(error).to_ascii_lowercase();
    text.contains("allocat") || text.contains("memory")
}

enum Surface {
    Offscreen(OffscreenCanvas, OffscreenCanvasRenderingContext2d),
    Element(HtmlCanvasElement, CanvasRenderingContext2d),
}

impl Surface {
    fn new(kind: Canvas, width: u32, height: u32) -> Result<Surface, PhotoError> {
        let offscreen = Reflect::has(&js_sys::global(), &"OffscreenCanvas".into()).unwrap_or(false);
        match kind {
            Canvas::Offscreen => Surface::offscreen(width, height),
            Canvas::Element => Surface::element(width, height),
            Canvas::Auto if offscreen => Surface::offscreen(width, height).or_else(|_| Surface::element(width, height)),
            Canvas::Auto => Surface::element(width, height),
        }
    }

    fn offscreen(width: u32, height: u32) -> Result<Surface, PhotoError> {
        let canvas = OffscreenCanvas::new(width, height).map_err(|_| PhotoError::Unsupported("OffscreenCanvas"))?;
        // A canvas too large for the memory left has no context.
        let context = canvas.get_context("2d").map_err(|_| PhotoError::OutOfMemory)?.ok_or(PhotoError::OutOfMemory)?;
        let context = context.dyn_into().map_err(|_| PhotoError::Unsupported("a 2D OffscreenCanvas"))?;
        Ok(Surface::Offscreen(canvas, context))
    }

    fn element(width: u32, height: u32) -> Result<Surface, PhotoError> {
        let document = web_sys::window().and_then(|w| w.document()).ok_or(PhotoError::Unsupported("a document"))?;
        let canvas: HtmlCanvasElement =
            document.create_element("canvas").ok().and_then(|c| c.dyn_into().ok()).ok_or(PhotoError::Unsupported("canvas"))?;
        canvas.set_width(width);
        canvas.set_height(height);
        let context = canvas.get_context("2d").map_err(|_| PhotoError::OutOfMemory)?.ok_or(PhotoError::OutOfMemory)?;
        let context = context.dyn_into().map_err(|_| PhotoError::Unsupported("a 2D canvas"))?;
        Ok(Surface::Element(canvas, context))
    }

    /// White under the picture (a transparent PNG would turn black in a JPEG), then the picture
    /// scaled with the browser's best filter.
    fn draw(&self, bitmap: &ImageBitmap, width: u32, height: u32) -> Result<(), PhotoError> {
        let (w, h) = (width as f64, height as f64);
        let drawn = match self {
            Surface::Offscreen(_, c) => {
                let _ = Reflect::set(c, &"imageSmoothingQuality".into(), &"high".into());
                c.set_fill_style_str("#fff");
                c.fill_rect(0.0, 0.0, w, h);
                c.draw_image_with_image_bitmap_and_dw_and_dh(bitmap, 0.0, 0.0, w, h)
            }
            Surface::Element(_, c) => {
                let _ = Reflect::set(c, &"imageSmoothingQuality".into(), &"high".into());
                c.set_fill_style_str("#fff");
                c.fill_rect(0.0, 0.0, w, h);
                c.draw_image_with_image_bitmap_and_dw_and_dh(bitmap, 0.0, 0.0, w, h)
            }
        };
        drawn.map_err(|e| if is_out_of_memory(&e) { PhotoError::OutOfMemory } else { PhotoError::EncodeFailed(describe(&e)) })
    }

    async fn encode(&self, quality: f64) -> Result<Blob, PhotoError> {
        let promise = match self {
            Surface::Offscreen(canvas, _) => {
                let options = ImageEncodeOptions::new();
                options.set_type("image/jpeg");
                options.set_quality(quality);
                canvas.convert_to_blob_with_options(&options)
            }
            Surface::Element(canvas, _) => Ok(Promise::new(&mut |resolve: Function, reject: Function| {
                let asked = canvas.to_blob_with_type_and_encoder_options(&resolve, "image/jpeg", &quality.into());
                if let Err(e) = asked {
                    let _ = reject.call1(&JsValue::NULL, &e);
                }
            })),
        };
        let encoded = match promise {
            Ok(promise) => JsFuture::from(promise).await,
            Err(e) => Err(e),
        };
        let value =
            encoded.map_err(|e| if is_out_of_memory(&e) { PhotoError::OutOfMemory } else { PhotoError::EncodeFailed(describe(&e)) })?;
        // `toBlob` hands over null when it could not encode, most often for want of memory.
        let blob: Blob = value.dyn_into().map_err(|_| PhotoError::EncodeFailed("the browser produced no image".into()))?;
        if blob.type_() != "image/jpeg" {
            return Err(PhotoError::EncodeFailed(format!("the browser wrote {} instead of JPEG", blob.type_())));
        }
        Ok(blob)
    }
}

impl Drop for Surface {
    /// Gives the canvas memory back now rather than at the next garbage collection (iOS caps
    /// the total canvas memory of a page).
    fn drop(&mut self) {
        match self {
            Surface::Offscreen(canvas, _) => {
                canvas.set_width(0);
                canvas.set_height(0);
            }
            Surface::Element(canvas, _) => {
                canvas.set_width(0);
                canvas.set_height(0);
            }
        }
    }
}
