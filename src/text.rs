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

/// The key that sorts names in Vietnamese dictionary order: letters first, where ă, â,
/// đ, ê, ô, ơ and ư are letters of their own after a, a, d, e, o, o and u; then tones, in
/// the order ngang, huyền, hỏi, ngã, sắc, nặng; case last. "An Bình" < "Ân Phú" < "Bình
/// Thủy" < "Đông Hải". Other text sorts by its letters as they are.
pub fn collation_key(name: &str) -> (Vec<u32>, Vec<u8>, String) {
    use unicode_normalization::UnicodeNormalization;
    let mut letters: Vec<u32> = Vec::with_capacity(name.len());
    let mut tones: Vec<u8> = Vec::with_capacity(name.len());
    for c in name.nfd().flat_map(char::to_lowercase) {
        // Each letter takes four places, so that letters with marks sort right after it.
        let tone = match c {
            '\u{0300}' => Some(1),
            '\u{0309}' => Some(2),
            '\u{0303}' => Some(3),
            '\u{0301}' => Some(4),
            '\u{0323}' => Some(5),
            _ => None,
        };
        if let Some(t) = tone {
            if let Some(last) = tones.last_mut() {
                *last = t;
            }
            continue;
        }
        match c {
            // Marks that make letters of their own, each sorting after the plain letter:
            // a < ă < â, e < ê, o < ô < ơ, u < ư.
            '\u{0306}' | '\u{0302}' | '\u{031b}' => {
                let step = match c {
                    '\u{0306}' => 1,
                    '\u{0302}' => 2,
                    _ => 3,
                };
                if let Some(last) = letters.last_mut() {
                    *last += step;
                }
            }
            'đ' => {
                letters.push(u32::from('d') * 4 + 1);
                tones.push(0);
            }
            c if is_combining(c) => {}
            c => {
                letters.push(u32::from(c) * 4);
                tones.push(0);
            }
        }
    }
    (letters, tones, name.to_owned())
}

/// `text` as a CSS string in single quotes, safe inside any HTML attribute once HTML
/// escaped: quotes, backslashes and control characters become CSS escapes (`\27 `).
pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\'' | '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", u32::from(c))),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('\'');
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

/// Escapes text for HTML and XML content and attribute values. Control characters
/// other than tab and line breaks (a stray byte from a spreadsheet, a YAML `"\e"`) are
/// left out: XML does not allow them even escaped, and they mean nothing on a page.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped_html(text, &mut out);
    out
}

/// The bytes [`push_escaped_html`] replaces.
const ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut k = 0;
    while k < 5 {
        table[b"&<>\"'"[k] as usize] = true;
        k += 1;
    }
    let mut c = 0;
    while c < 0x20 {
        table[c] = !matches!(c, 0x09 | 0x0a | 0x0d);
        c += 1;
    }
    table
};

/// Appends `text` to `out`, escaped as [`escape_html`] does.
pub fn push_escaped_html(text: &str, out: &mut String) {
    // Byte by byte: the five are ASCII, so every one is a whole character and the text
    // between them is whole characters too. (Searching for them as `char`s decodes every
    // character, and a national build escapes some 2 million short texts.) Most texts
    // have none, and are copied at once.
    let bytes = text.as_bytes();
    let Some(first) = bytes.iter().position(|&b| ESCAPED[usize::from(b)]) else {
        out.push_str(text);
        return;
    };
    out.reserve(text.len() + 16);
    let mut start = 0;
    for (k, &b) in bytes.iter().enumerate().skip(first) {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            c if ESCAPED[usize::from(c)] => "",
            _ => continue,
        };
        out.push_str(&text[start..k]);
        out.push_str(entity);
        start = k + 1;
    }
    out.push_str(&text[start..]);
}

/// What templates escape with: Tera's own escaping,
/// of the text without its control characters.
pub fn escape_for_templates(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    if text.bytes().any(|b| b < 0x20 && ESCAPED[usize::from(b)]) {
        let kept: String = text.chars().filter(|&c| c >= ' ' || matches!(c, '\t' | '\n' | '\r')).collect();
        return tera::escape_html(&kept, out);
    }
    tera::escape_html(text, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_left_out_of_markup() {
        assert_eq!(escape_html("North\u{1b} Ward\u{7}\t<b>\n"), "North Ward\t&lt;b&gt;\n");
        let mut out = Vec::new();
        escape_for_templates("a\u{0}/b", &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "a/b");
    }

    #[test]
    fn css_strings_hold_any_text_without_quotes_or_markup() {
        assert_eq!(css_string("Số người"), "'Số người'");
        assert_eq!(css_string("a'b\"c\\d<e>&\n"), "'a\\27 b\\22 c\\5c d\\3c e\\3e \\26 \\a '");
    }

    #[test]
    fn sorts_in_vietnamese_dictionary_order() {
        let mut names = vec![
            "Đông Hải",
            "Bình Thủy",
            "Ân Phú",
            "An Bình",
            "Ăn Ở",
            "An Bìnhx",
            "an bình",
            "Ánh",
            "Anh",
            "Ảnh",
            "Ô Môn",
            "Ơ",
            "Oa",
            "Uy",
            "Ưu",
        ];
        names.sort_by_key(|n| collation_key(n));
        assert_eq!(
            names,
            [
                "An Bình",
                "an bình",
                "An Bìnhx",
                "Anh",
                "Ảnh",
                "Ánh",
                "Ăn Ở",
                "Ân Phú",
                "Bình Thủy",
                "Đông Hải",
                "Oa",
                "Ô Môn",
                "Ơ",
                "Uy",
                "Ưu"
            ]
        );
        // Text typed decomposed sorts as the same text composed.
        assert_eq!(collation_key("Mỹ Tú").0, collation_key("My\u{0303} Tu\u{0301}").0);
    }

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
        // Between and beside letters of several bytes, which stay whole.
        assert_eq!(escape_html("Ô Môn<Đ>&ừ'"), "Ô Môn&lt;Đ&gt;&amp;ừ&#39;");
        assert_eq!(escape_html("Phường Long Mỹ"), "Phường Long Mỹ");
    }
}
