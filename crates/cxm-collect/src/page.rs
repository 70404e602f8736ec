//! The participant's page: one HTML document with its style and script inline
//! (`page/index.html`, `page.css`, `page.js`), and the content security policy that
//! allows exactly those two by their SHA-256 hashes.

use sha2::{Digest, Sha256};

const HTML: &str = include_str!("../page/index.html");
const CSS: &str = include_str!("../page/page.css");
const JS: &str = include_str!("../page/page.js");
const STYLE_MARK: &str = "/*STYLE*/";
const SCRIPT_MARK: &str = "/*SCRIPT*/";

/// The assembled page and its policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Page {
    /// The HTML document.
    pub html: String,
    /// The `Content-Security-Policy` header's value.
    pub csp: String,
}

/// The page, with the policy computed from its inline style and script.
pub(crate) fn page() -> Page {
    let html = HTML
        .replacen(STYLE_MARK, CSS, 1)
        .replacen(SCRIPT_MARK, JS, 1);
    let csp = format!(
        "default-src 'none'; script-src 'sha256-{}'; style-src 'sha256-{}'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        hash(JS),
        hash(CSS)
    );
    Page { html, csp }
}

/// SHA-256 of `text`, in base64 (as a CSP source expression wants it).
fn hash(text: &str) -> String {
    base64(&Sha256::digest(text.as_bytes()))
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let b = [
            group[0],
            group.get(1).copied().unwrap_or(0),
            group.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= group.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text between `open` and the next `close`, and there is exactly one `open`.
    fn only_element<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
        assert_eq!(html.matches(open).count(), 1, "one {open}");
        let start = html.find(open).map(|i| i + open.len()).expect("open tag");
        let end = html[start..]
            .find(close)
            .map(|i| start + i)
            .expect("close tag");
        &html[start..end]
    }

    #[test]
    fn base64_matches_the_standard() {
        // RFC 4648, section 10.
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, coded) in cases {
            assert_eq!(base64(plain.as_bytes()), coded, "{plain}");
        }
        // SHA-256 of the empty string (`printf "" | openssl dgst -sha256 -binary | base64`).
        assert_eq!(hash(""), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    }

    #[test]
    fn the_policy_allows_exactly_the_inline_style_and_script() {
        let page = page();
        let style = only_element(&page.html, "<style>", "</style>");
        let script = only_element(&page.html, "<script>", "</script>");
        assert_eq!(style, CSS);
        assert_eq!(script, JS);
        assert!(
            page.csp
                .contains(&format!("script-src 'sha256-{}';", hash(script)))
        );
        assert!(
            page.csp
                .contains(&format!("style-src 'sha256-{}';", hash(style)))
        );
        assert!(!page.html.contains(STYLE_MARK) && !page.html.contains(SCRIPT_MARK));
        assert!(!JS.contains("</script") && !CSS.contains("</style"));
        assert_eq!(page.html.matches("<script").count(), 1, "no other script");
        assert_eq!(page.html.matches("<style").count(), 1, "no other style");
    }
}
