//! Minimal HTML for the office pages. Every piece of text from an upload goes through
//! [`escape`]: an inspector's note is data, never markup.

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A page with the given (already escaped) title and body.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <style>body{{font:16px/1.5 system-ui,sans-serif;margin:1rem;max-width:70rem}}\
         table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #64748b;padding:.3rem .5rem;text-align:left;vertical-align:top}}\
         .hazard{{color:#b91c1c;font-weight:600}}</style></head><body>{body}</body></html>"
    )
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_in_uploads_is_escaped() {
        assert_eq!(escape("<script>alert('x')</script> & \"q\""), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
        assert_eq!(escape("安全出口"), "安全出口");
    }
}
