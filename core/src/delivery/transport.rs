//! How the runner speaks to the receiver (docs/protocol.md), as a trait: the app's fetch
//! implements it in the browser, a scripted one in the tests. Every answer is reduced to the
//! outbox's [`Attempt`], so the rules that read it never see a transport's own types.

use uuid::Uuid;

use crate::delivery::outbox::Attempt;

/// Where to send: the receiver's base URL (no trailing slash) and the bearer token (blank for
/// none).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Destination {
    pub endpoint: String,
    pub token: String,
}

/// What the receiver is told about a picture besides its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PictureFacts {
    /// `Content-Type` of the upload (`image/jpeg`, `image/png`).
    pub content_type: String,
    /// Hex SHA-256 of the bytes, sent as `X-Content-SHA256` and checked by the receiver.
    pub sha256: String,
}

/// The receiver's routes the app uses. Used generically on one thread (wasm), so the futures
/// need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// A picture's bytes as the platform holds them (a `Blob` in the browser).
    type Picture;

    /// `POST {endpoint}/inspections` with the JSON payload and `Idempotency-Key: {id}`.
    async fn send_record(&self, to: &Destination, id: Uuid, payload: &str) -> Attempt;

    /// `PUT {endpoint}/inspections/{id}/attachments/{attachment}` with the picture, its
    /// content type and `X-Content-SHA256`.
    async fn send_attachment(&self, to: &Destination, id: Uuid, attachment: Uuid, facts: &PictureFacts, picture: &Self::Picture)
        -> Attempt;

    /// `HEAD {endpoint}/inspections/{id}/attachments/{attachment}`: what the receiver holds
    /// under this id, for a client that has lost its receipts. `200` when held, `404` when
    /// not; a HEAD has no body, so the [`Attempt::Response`] body carries the
    /// `X-Content-SHA256` of the bytes held (empty when none).
    async fn held(&self, to: &Destination, id: Uuid, attachment: Uuid) -> Attempt;

    /// A GET with the token (none when blank): health, the token check, the catalogue, the
    /// receiver's templates.
    async fn get_text(&self, url: &str, token: &str) -> Attempt;
}
