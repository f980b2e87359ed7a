//! The office's CSV downloads (inspections, the audit trail, the hazard register, a draw's
//! result), all written one way: UTF-8, a header line, and every cell made safe for the
//! spreadsheet office staff open it in (Excel, WPS: no cell may start a formula or hide text).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use safewalk_core::exchange::export::spreadsheet_safe;

use super::error;

/// `header`, then `rows`, as a `text/csv` response; with a `filename`, a download of that
/// name. A row that cannot be written (never expected: the writer is in memory) is a `500`
/// naming why, not half a file.
pub fn csv_download<R, C>(header: &[&str], rows: R, filename: Option<&str>) -> Response
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut result = writer.write_record(header);
    for row in rows {
        result = result.and_then(|_| writer.write_record(row.into_iter().map(|cell| spreadsheet_safe(cell.as_ref()).into_owned())));
    }
    let bytes = match result.map_err(|e| e.to_string()).and_then(|_| writer.into_inner().map_err(|e| e.to_string())) {
        Ok(bytes) => bytes,
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e),
    };
    let content_type = (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string());
    match filename {
        Some(name) => ([content_type, (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))], bytes).into_response(),
        None => ([content_type], bytes).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::csv_download;
    use axum::body::to_bytes;
    use axum::http::header;

    #[tokio::test]
    async fn cells_are_quoted_and_kept_from_starting_a_formula() {
        let rows = vec![vec!["=HYPERLINK(\"x\")".to_string(), "a, \"b\"".into()], vec!["@SUM(A1)".into(), "+1".into()]];
        let response = csv_download(&["first", "second"], rows, Some("list.csv"));
        assert_eq!(response.headers()[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        assert_eq!(response.headers()[header::CONTENT_DISPOSITION], "attachment; filename=\"list.csv\"");
        let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert_eq!(
            String::from_utf8(body.to_vec()).unwrap(),
            "first,second\n\"'=HYPERLINK(\"\"x\"\")\",\"a, \"\"b\"\"\"\n'@SUM(A1),+1\n",
            "a plain number stays a number"
        );
        let inline = csv_download(&["only"], Vec::<[&str; 1]>::new(), None);
        assert!(inline.headers().get(header::CONTENT_DISPOSITION).is_none());
    }
}
