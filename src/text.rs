//! Text helpers for Vietnamese names: folding diacritics, making URL slugs, checking ids.

/// The base letter of a Vietnamese letter with diacritics (`ệ` → `e`, `Đ` → `D`);
/// other characters are returned unchanged.
pub fn fold_char(c: char) -> char {
    const GROUPS: [(&str, char); 14] = [
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'A'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ÈÉẺẼẸÊỀẾỂỄỆ", 'E'),
        ("ìíỉĩị", 'i'),
        ("ÌÍỈĨỊ", 'I'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'O'),
        ("ùúủũụưừứửữự", 'u'),
        ("ÙÚỦŨỤƯỪỨỬỮỰ", 'U'),
        ("ỳýỷỹỵ", 'y'),
        ("ỲÝỶỸỴ", 'Y'),
        ("đ", 'd'),
        ("Đ", 'D'),
    ];
    if c.is_ascii() {
        return c;
    }
    GROUPS.iter().find(|(set, _)| set.contains(c)).map_or(c, |&(_, base)| base)
}

/// Whether `c` is a combining diacritical mark, as found in text typed in decomposed form.
fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}')
}

/// `name` without diacritics: "Phường Ô Môn" → "Phuong O Mon".
pub fn fold(name: &str) -> String {
    name.chars().filter(|c| !is_combining(*c)).map(fold_char).collect()
}

/// The URL slug of a name: lowercase, without diacritics, runs of other characters
/// turned into `-` ("Sóc Trăng cũ" → `soc-trang-cu`).
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in fold(name).chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// Longest id accepted: ids become folder names, which file systems limit.
pub const MAX_ID_LEN: usize = 100;

/// Whether `id` is a valid id: lowercase ASCII letters, digits and `-` (SPEC §1).
/// This is also what keeps every output path inside the output folder.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Escapes text for HTML and XML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped_html(text, &mut out);
    out
}

/// Appends `text` to `out`, escaped as [`escape_html`] does.
pub fn push_escaped_html(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(k) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..k]);
        out.push_str(match rest.as_bytes()[k] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[k + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Phường Ô Môn"), "Phuong O Mon");
        assert_eq!(fold("Xã Đông Hiệp"), "Xa Dong Hiep");
        assert_eq!(fold("Văn Lăng"), fold("Văn Lang"));
        // Decomposed input (e + combining circumflex + combining dot below).
        assert_eq!(fold("Hie\u{0302}\u{0323}p"), "Hiep");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Sóc Trăng cũ"), "soc-trang-cu");
        assert_eq!(slug("  Văn Miếu - Quốc Tử Giám "), "van-mieu-quoc-tu-giam");
        assert_eq!(slug("Đặc khu Phú Quốc"), "dac-khu-phu-quoc");
        assert_eq!(slug("!!!"), "");
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("long-my"));
        assert!(is_valid_id("vi-thanh-1"));
        assert!(!is_valid_id("Long-My"));
        assert!(!is_valid_id("long_my"));
        assert!(!is_valid_id("long-mỹ"));
        assert!(!is_valid_id("../etc"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id(&"a".repeat(101)));
    }

    #[test]
    fn escapes() {
        assert_eq!(escape_html(r#"<a href="x">&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    }
}
