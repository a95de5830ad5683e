//! A sheet saved as text: which encoding it is in, found from its bytes (UTF-8 with or
//! without a byte-order mark, UTF-16 as Excel's "Unicode Text" writes it, Windows-1258 as
//! Excel's plain "CSV" writes it in a Vietnamese locale), and its rows and cells.
//!
//! Text that is none of these, or that was garbled before it got here (letters of the
//! old TCVN3 and VNI fonts, or UTF-8 read through the wrong code page and saved again),
//! is refused with what it looks like: its names would never match, or worse, match
//! the wrong unit.

use unicode_normalization::UnicodeNormalization;

use crate::diag::SourceFile;
use crate::t;
use crate::words::messages::Text;

/// Why the text of a file cannot be read as a sheet.
#[derive(Debug, PartialEq)]
pub(super) enum Unreadable {
    /// Letters of a TCVN3 (ABC, .VnTime) font.
    Tcvn3,
    /// Letters of a VNI font.
    Vni,
    /// UTF-8 read through a Windows code page and saved again: "PhÆ°á»\u{9d}ng".
    Garbled,
    /// Saved in a code page without Vietnamese letters, which became question marks:
    /// "Ph??ng Long M?".
    QuestionMarks,
}

impl Unreadable {
    pub(super) fn message(&self) -> (Text, Text) {
        match self {
            Unreadable::Tcvn3 => (t!("text_tcvn3"), t!("text_tcvn3_help")),
            Unreadable::Vni => (t!("text_vni"), t!("text_vni_help")),
            Unreadable::Garbled => (t!("text_garbled"), t!("text_garbled_help")),
            Unreadable::QuestionMarks => (t!("text_question_marks"), t!("text_question_marks_help")),
        }
    }
}

/// The text of `bytes`, NFC, and the name of the encoding it was in.
pub(super) fn decode(bytes: &[u8]) -> Result<(String, &'static str), Unreadable> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        (String::from_utf8_lossy(rest).into_owned(), "UTF-8")
    } else if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        (encoding_rs::UTF_16LE.decode_without_bom_handling(rest).0.into_owned(), "UTF-16")
    } else if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        (encoding_rs::UTF_16BE.decode_without_bom_handling(rest).0.into_owned(), "UTF-16")
    } else if let Some(big_endian) = utf16_without_bom(bytes) {
        let encoding = if big_endian { encoding_rs::UTF_16BE } else { encoding_rs::UTF_16LE };
        (encoding.decode_without_bom_handling(bytes).0.into_owned(), "UTF-16")
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_owned(), "UTF-8")
    } else {
        (encoding_rs::WINDOWS_1258.decode_without_bom_handling(bytes).0.into_owned(), "Windows-1258")
    };
    // Windows-1258 writes tone marks as combining characters; NFC puts them on their letters.
    let text: String = text.nfc().collect();
    match legacy(&text) {
        Some(why) => Err(why),
        None => Ok((text, encoding)),
    }
}

/// UTF-16 without a byte-order mark: most ASCII characters have a zero byte beside them.
/// `Some(true)` for big-endian.
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 4 {
        return None;
    }
    let zeros = |offset: usize| sample.iter().skip(offset).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 10 >= pairs * 3 && even == 0 {
        Some(false)
    } else if even * 10 >= pairs * 3 && odd == 0 {
        Some(true)
    } else {
        None
    }
}

/// Every letter, with its diacritics, that Vietnamese writes.
const VIETNAMESE: &str = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ\
ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ";

/// Punctuation and symbols a sheet may hold beside its letters.
const SYMBOLS: &str = "«»°²³±×÷£§©®µ¶·¼½¾\u{a0}";

/// What text that is not Unicode Vietnamese looks like, if it looks like one of the
/// usual mistakes. Decoded Vietnamese text has, beside ASCII, Vietnamese letters and a
/// few symbols; the old font codes and garbled UTF-8 leave other Latin-1 letters and
/// symbols, most of its non-ASCII characters, behind.
fn legacy(text: &str) -> Option<Unreadable> {
    let (mut non_ascii, mut strange, mut vni, mut garbled) = (0usize, 0usize, 0usize, 0usize);
    let mut previous = ' ';
    for c in text.chars() {
        if !c.is_ascii() {
            non_ascii += 1;
        }
        // UTF-8 read as Windows-1252: "ư" becomes "Æ°", "ờ" "á»", "ạ" "áº", "đ" "Ä‘".
        if matches!((previous, c), ('á', '»' | 'º') | ('Æ', '°') | ('Ä', '‘') | ('Ã', '¡' | '¢' | '´' | '¹' | 'º'))
        {
            garbled += 1;
        }
        let latin = ('\u{80}'..='\u{24f}').contains(&c);
        if latin && !VIETNAMESE.contains(c) && !SYMBOLS.contains(c) {
            strange += 1;
            // VNI writes a base letter, then its marks as Latin-1 letters: "Phöôøng".
            if matches!(c, 'ø' | 'ù' | 'û' | 'ï' | 'ö' | 'ñ' | 'ë' | 'ä' | 'å' | 'Ø' | 'Ù' | 'Û' | 'Ï' | 'Ö' | 'Ñ')
            {
                vni += 1;
            }
        }
        previous = c;
    }
    if garbled >= 2 {
        return Some(Unreadable::Garbled);
    }
    // Letters lost to "?": a question mark against a letter, in several words, and no
    // Vietnamese letter left anywhere.
    let lost = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '\t' | '"'))
        .filter(|word| {
            let chars: Vec<char> = word.chars().collect();
            chars.windows(2).any(|w| (w[0] == '?' && w[1].is_alphabetic()) || (w[0].is_alphabetic() && w[1] == '?'))
        })
        .count();
    if lost >= 3 && non_ascii == 0 {
        return Some(Unreadable::QuestionMarks);
    }
    if strange < 3 || strange * 5 < non_ascii {
        return None;
    }
    Some(if vni * 2 >= strange { Unreadable::Vni } else { Unreadable::Tcvn3 })
}

/// The separator of a text export: the one of `;`, `,` and tab that divides the most
/// lines into the same number of cells (Excel pads every row to the sheet's width). Excel
/// in Vietnamese locales writes `;`, its "Unicode Text" a tab.
pub(super) fn delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(60).collect();
    let mut best = (0usize, 0usize, b',');
    for d in [b',', b';', b'\t'] {
        let counts: Vec<usize> = lines.iter().map(|l| outside_quotes(l, d)).collect();
        let mut frequency = std::collections::HashMap::new();
        for &n in counts.iter().filter(|&&n| n > 0) {
            *frequency.entry(n).or_insert(0usize) += 1;
        }
        // The most common number of separators in a line, and how many lines have it.
        let Some((&n, &lines_with)) = frequency.iter().max_by_key(|(n, lines)| (**lines, **n)) else { continue };
        if (lines_with, n) > (best.0, best.1) {
            best = (lines_with, n, d);
        }
    }
    best.2
}

fn outside_quotes(line: &str, d: u8) -> usize {
    let mut quoted = false;
    line.bytes()
        .filter(|&b| {
            if b == b'"' {
                quoted = !quoted;
            }
            b == d && !quoted
        })
        .count()
}

/// Rows, each with the number of the line it starts on.
pub(super) type Numbered<C> = Vec<(u64, Vec<C>)>;

/// The rows of a text export, each with the number of the line it starts on (right for
/// `\r\n` line endings and for cells that hold a line break) and its cells made by `cell`
/// from their text, or the line a row that cannot be read is on, and why.
pub(super) fn rows<C>(file: &SourceFile, cell: impl Fn(&str) -> C) -> Result<Numbered<C>, (u64, Text)> {
    let starts: Vec<usize> = std::iter::once(0).chain(file.text.match_indices('\n').map(|(k, _)| k + 1)).collect();
    // The csv crate puts a record after `\r\n` at its `\n` (and counts its lines so too):
    // the record starts after the line breaks there.
    let bytes = file.text.as_bytes();
    let line_of = |byte: u64| {
        let mut at = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        starts.partition_point(|&s| s <= at) as u64
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(&file.text))
        .has_headers(false)
        .flexible(true)
        .from_reader(file.text.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| line_of(p.byte()));
            (line, t!("text_row_unreadable", detail = e.to_string()))
        })?;
        let line = record.position().map_or(0, |p| line_of(p.byte()));
        out.push((line, record.iter().map(&cell).collect()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_found_from_the_bytes() {
        let text = "Đơn vị;BHYT\nPhường Long Mỹ;35300\n";
        assert_eq!(decode(text.as_bytes()), Ok((text.to_owned(), "UTF-8")));
        let bom = [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat();
        assert_eq!(decode(&bom), Ok((text.to_owned(), "UTF-8")));
        let utf16: Vec<u8> = [0xff, 0xfe].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(&utf16), Ok((text.to_owned(), "UTF-16")));
        let no_bom: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&no_bom), Ok((text.to_owned(), "UTF-16")));
        // Windows-1258, as Excel writes it: "ờ" is "ơ" and a combining grave accent (0xCC),
        // "ỹ" is "y" and a combining tilde (0xDE).
        let cp1258 = b"\xd0\xf5n vi\xf2;BHYT\nPh\xfd\xf5\xccng Long My\xde;35300\n";
        assert_eq!(decode(cp1258), Ok((text.to_owned(), "Windows-1258")));
    }

    #[test]
    fn legacy_codes_and_garbled_text_are_told_apart() {
        // "Phường Long Mỹ" in VNI: "Phöôøng Long Myõ".
        assert_eq!(decode("Đơn vị;BHYT\nPhöôøng Long Myõ;1\nPhöôøng OÂ Moân;2\n".as_bytes()), Err(Unreadable::Vni));
        // In TCVN3 (ABC): "Ph\u{ad}êng Long Mü".
        assert_eq!(
            decode(b"Ph\xad\xeang Long M\xfc;1\nPh\xad\xeang \xb4 M\xabn;2\nX\xb7 M\xfc T\xfa;3\n"),
            Err(Unreadable::Tcvn3)
        );
        // UTF-8 read as Windows-1252 and saved again as UTF-8.
        let garbled = "PhÆ°á»\u{9d}ng Long Má»¹;1\nPhÆ°á»\u{9d}ng Ã” MÃ´n;2\n";
        assert_eq!(decode(garbled.as_bytes()), Err(Unreadable::Garbled));
        // Saved as "CSV" on a computer set for English: the letters became "?".
        let lost = "\"?on v?\",BHYT\nPh??ng Long M?,1\nPh??ng ? M?n,2\nX? M? T?,3\n";
        assert_eq!(decode(lost.as_bytes()), Err(Unreadable::QuestionMarks));
        // A question or two in a note is no lost letter.
        assert!(decode("Đơn vị,BHYT\nPhường Long Mỹ,1\n\"Đúng?\",\n".as_bytes()).is_ok());
        assert!(decode(b"unit,members\nlong-my,1\nnote,why? really?\n").is_ok());
    }

    #[test]
    fn the_separator_is_the_one_that_divides_lines_alike() {
        assert_eq!(delimiter("unit;voluntary-si;health-insurance\nlong-my;1.215,00;35.300\n"), b';');
        assert_eq!(delimiter("unit,voluntary-si\nlong-my,1215\n"), b',');
        assert_eq!(delimiter("\"a;b\",x\n\"c;d\",y\n"), b',');
        assert_eq!(delimiter("unit\tx\nlong-my\t5\n"), b'\t');
        assert_eq!(delimiter("BÁO CÁO THÁNG 10;;;\nĐơn vị;A;B;C\nx;1,5;2;3\n"), b';');
    }

    #[test]
    fn rows_carry_the_line_they_start_on_with_crlf_and_line_breaks_in_cells() {
        let file = SourceFile::new("x.csv", "a,b\r\n\"c\r\nd\",e\r\nf,g\r\n");
        let rows = rows(&file, str::to_owned).unwrap();
        let lines: Vec<u64> = rows.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, vec![1, 2, 4]);
    }
}
