//! Units as people type them in a sheet: by id, by the statistics office's code, or by
//! name, with or without diacritics, capitals or the "Phường"/"Xã" prefix, typed on any
//! keyboard (NFC and NFD alike). A name that could be more than one unit is never
//! guessed: "Vị Thanh" is ambiguous when the site has Phường Vị Thanh and Xã Vị Thanh 1.
//! A name a unit had before the 2025 merger is known too, to say which unit it became,
//! and still refused: its figures are only part of the new unit's.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::diag::did_you_mean;
use crate::model::{Locality, LocalityKind};
use crate::t;
use crate::text::{fold, is_valid_id};
use crate::words::messages::Text;

/// Text from a cell as it is compared: NFC, without zero-width characters, with
/// no-break spaces as spaces and runs of white space as one.
pub(super) fn clean(text: &str) -> String {
    let spaced: String = text
        .nfc()
        // Zero-width marks, and control characters a cell may carry (an ESC from another
        // program): neither is part of a name or a title.
        .filter(|c| !matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'))
        .filter(|c| !c.is_control() || c.is_whitespace())
        .map(|c| if matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}') { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text compared without case or diacritics.
pub(super) fn loose(text: &str) -> String {
    fold(&clean(text).to_lowercase())
}

/// An area's name as offices write it, compared without "Khu vực", "KV", "Tỉnh" or
/// "Thành phố" before it and without brackets: "KHU VỰC CẦN THƠ (CŨ)", "KV Cần Thơ cũ"
/// and "Cần Thơ cũ" alike; "Tỉnh Đồng Tháp" and "ĐỒNG THÁP".
pub(super) fn area(loose_text: &str) -> String {
    let text: String = loose_text.chars().filter(|c| !matches!(c, '(' | ')')).collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let rest = ["khu vuc ", "kv. ", "kv.", "kv ", "cum ", "tinh ", "thanh pho ", "tp. ", "tp.", "tp "]
        .iter()
        .find_map(|p| text.strip_prefix(p));
    rest.unwrap_or(&text).trim().to_owned()
}

/// Unit-name prefixes that people may leave out, abbreviate, or write without diacritics,
/// and the kind of unit each says (a "thị trấn" is a kind of before 2025).
const PREFIXES: [(&str, Option<LocalityKind>); 14] = [
    ("phường ", Some(LocalityKind::Ward)),
    ("xã ", Some(LocalityKind::Commune)),
    ("đặc khu ", Some(LocalityKind::SpecialZone)),
    ("thị trấn ", None),
    ("phuong ", Some(LocalityKind::Ward)),
    ("xa ", Some(LocalityKind::Commune)),
    ("dac khu ", Some(LocalityKind::SpecialZone)),
    ("thi tran ", None),
    ("p. ", Some(LocalityKind::Ward)),
    ("x. ", Some(LocalityKind::Commune)),
    ("tt. ", None),
    ("p.", Some(LocalityKind::Ward)),
    ("x.", Some(LocalityKind::Commune)),
    ("tt.", None),
];

/// Vietnamese names write i and y alike (Mĩ = Mỹ, Kì = Kỳ, Lí = Lý): keys have i.
fn i_for_y(key: &str) -> String {
    key.chars()
        .map(|c| match c {
            'y' => 'i',
            'ý' => 'í',
            'ỳ' => 'ì',
            'ỷ' => 'ỉ',
            'ỹ' => 'ĩ',
            'ỵ' => 'ị',
            c => c,
        })
        .collect()
}

/// A name lowercased and cleaned, i for y; and without its prefix, if it has one.
fn name_keys(name: &str) -> (String, Option<String>) {
    let key = i_for_y(&clean(name).to_lowercase());
    let rest =
        PREFIXES.iter().find_map(|(p, _)| key.strip_prefix(p)).map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    (key, rest)
}

/// The kind of unit a typed name's prefix gives.
fn typed_kind(typed: &str) -> Option<LocalityKind> {
    let key = clean(typed).to_lowercase();
    PREFIXES.iter().find(|(p, _)| key.starts_with(p)).and_then(|&(_, kind)| kind)
}

/// `name` without a trailing number: "vị thanh" for "vị thanh 1".
fn without_number(name: &str) -> Option<&str> {
    let (head, last) = name.rsplit_once(' ')?;
    last.bytes().all(|b| b.is_ascii_digit()).then_some(head)
}

fn code_key(code: &str) -> String {
    let trimmed = code.trim().trim_start_matches('0');
    if trimmed.is_empty() { "0".to_owned() } else { trimmed.to_owned() }
}

/// The unit of `found`, or all of them when there are several.
fn one(found: &[usize]) -> Result<usize, Miss> {
    match found {
        [i] => Ok(*i),
        _ => Err(Miss::Ambiguous(found.to_vec())),
    }
}

/// Why a name finds no unit.
#[derive(Debug, PartialEq)]
pub(super) enum Miss {
    Empty,
    /// The units it could be.
    Ambiguous(Vec<usize>),
    /// A name from before the merger: the units it became part of.
    Former(Vec<usize>),
    Unknown,
}

/// Finds units as people type them.
pub(super) struct Matcher<'a> {
    localities: &'a [Locality],
    ids: HashMap<&'a str, usize>,
    /// Codes and full names (with their prefix, lowercased) may repeat: across a nation's
    /// provinces, names do.
    codes: HashMap<String, Vec<usize>>,
    full: HashMap<String, Vec<usize>>,
    /// Names without their prefix, lowercased; and the same without diacritics.
    bare: HashMap<String, Vec<usize>>,
    bare_folded: HashMap<String, Vec<usize>>,
    /// Names without prefix and without their trailing number ("vị thanh" for Xã Vị Thanh
    /// 1); and the same without diacritics.
    numbered: HashMap<String, Vec<usize>>,
    numbered_folded: HashMap<String, Vec<usize>>,
    /// Names of the units each was formed from, without prefix, and without what tells
    /// two of them apart ("Thuận An" for "Phường Thuận An (thị xã Long Mỹ)"); and the same
    /// without diacritics.
    former: HashMap<String, Vec<usize>>,
    former_folded: HashMap<String, Vec<usize>>,
}

/// An old name's keys: as written, without its note in brackets, and each without prefix.
fn former_keys(name: &str) -> Vec<String> {
    let plain = match name.split_once('(') {
        Some((head, _)) if !head.trim().is_empty() => head,
        _ => name,
    };
    let mut keys = Vec::new();
    for written in [name, plain] {
        let (full, rest) = name_keys(written);
        keys.extend([full].into_iter().chain(rest));
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

impl<'a> Matcher<'a> {
    pub(super) fn new(localities: &'a [Locality]) -> Self {
        let mut m = Matcher {
            localities,
            ids: HashMap::new(),
            codes: HashMap::new(),
            full: HashMap::new(),
            bare: HashMap::new(),
            bare_folded: HashMap::new(),
            numbered: HashMap::new(),
            numbered_folded: HashMap::new(),
            former: HashMap::new(),
            former_folded: HashMap::new(),
        };
        for (i, l) in localities.iter().enumerate() {
            m.ids.insert(&l.id, i);
            if let Some(code) = &l.code {
                m.codes.entry(code_key(code)).or_default().push(i);
            }
            let (full, rest) = name_keys(&l.name);
            let bare = rest.unwrap_or_else(|| full.clone());
            m.full.entry(full).or_default().push(i);
            if let Some(head) = without_number(&bare) {
                m.numbered.entry(head.to_owned()).or_default().push(i);
                m.numbered_folded.entry(fold(head)).or_default().push(i);
            }
            m.bare_folded.entry(fold(&bare)).or_default().push(i);
            m.bare.entry(bare).or_default().push(i);
            for old in &l.formed_from {
                for key in former_keys(old) {
                    let folded = m.former_folded.entry(fold(&key)).or_default();
                    if folded.last() != Some(&i) {
                        folded.push(i);
                    }
                    let exact = m.former.entry(key).or_default();
                    if exact.last() != Some(&i) {
                        exact.push(i);
                    }
                }
            }
        }
        m
    }

    /// Whether `typed` names a unit by its id or code, or names it closely enough that it
    /// is surely a name of a unit, even an ambiguous one: to tell the column of names.
    pub(super) fn knows(&self, typed: &str) -> bool {
        !matches!(self.find(typed), Err(Miss::Unknown | Miss::Empty))
    }

    /// The unit `typed` names, or why there is none.
    pub(super) fn find(&self, typed: &str) -> Result<usize, Miss> {
        let typed = clean(typed);
        if typed.is_empty() {
            return Err(Miss::Empty);
        }
        if let Some(&i) = self.ids.get(typed.as_str()) {
            return Ok(i);
        }
        if typed.bytes().all(|b| b.is_ascii_digit())
            && let Some(found) = self.codes.get(&code_key(&typed))
        {
            return one(found);
        }
        let (full, rest) = name_keys(&typed);
        if let Some(found) = self.full.get(&full) {
            return one(found);
        }
        // The name without its prefix, and as typed: "Xa Phien" is Xã Xà Phiên, not "Phien".
        let keys: Vec<String> = rest.into_iter().chain([full]).collect();
        // With diacritics first: only when that finds nothing, without them. "Van Lang"
        // must not silently become Văn Lăng when Văn Lang exists too.
        for (names, numbered, folded) in
            [(&self.bare, &self.numbered, false), (&self.bare_folded, &self.numbered_folded, true)]
        {
            let keys = keys.iter().map(|k| if folded { fold(k) } else { k.clone() });
            let (mut found, mut dropped) = (Vec::new(), Vec::new());
            for key in keys {
                found.extend(names.get(&key).into_iter().flatten().copied());
                // A name with its number left out could be the numbered unit too.
                dropped.extend(numbered.get(&key).into_iter().flatten().copied());
            }
            if found.is_empty() && dropped.is_empty() {
                continue;
            }
            // A typed "Phường", "P.", "Xã", "X." or "Đặc khu" says which of twins it is:
            // "P. Vị Thanh" is the ward, not Xã Vị Thanh 1.
            if let Some(kind) = typed_kind(&typed) {
                let of_kind = |units: &[usize]| {
                    let mut units: Vec<usize> =
                        units.iter().copied().filter(|&i| self.localities[i].kind == kind).collect();
                    units.dedup();
                    units
                };
                if let ([one], []) = (&of_kind(&found)[..], &of_kind(&dropped)[..]) {
                    return Ok(*one);
                }
            }
            found.extend(dropped.iter().copied());
            found.sort_unstable();
            found.dedup();
            return match (found.len(), dropped.is_empty()) {
                (1, true) => Ok(found[0]),
                _ => Err(Miss::Ambiguous(found)),
            };
        }
        let keys = name_keys(&typed);
        let keys: Vec<String> = [keys.0].into_iter().chain(keys.1).collect();
        for (names, folded) in [(&self.former, false), (&self.former_folded, true)] {
            let mut found: Vec<usize> = keys
                .iter()
                .filter_map(|k| names.get(&if folded { fold(k) } else { k.clone() }))
                .flatten()
                .copied()
                .collect();
            if !found.is_empty() {
                found.sort_unstable();
                found.dedup();
                return Err(Miss::Former(found));
            }
        }
        Err(Miss::Unknown)
    }

    /// "Phường Long Mỹ (long-my)", "Phường Long Mỹ (long-my) or Xã …": units by name and id.
    fn named(&self, found: &[usize], or: &str) -> String {
        let names: Vec<String> =
            found.iter().map(|&i| format!("{} ({})", self.localities[i].label, self.localities[i].id)).collect();
        names.join(or)
    }

    pub(super) fn message(&self, typed: &str, miss: &Miss) -> Text {
        let typed = clean(typed);
        match miss {
            Miss::Empty => t!("import_unit_name_empty"),
            Miss::Ambiguous(found) => t!("import_unit_ambiguous", typed, names = self.named(found, ", ")),
            Miss::Former(found) => {
                let or = format!(" {} ", t!("import_or"));
                t!("import_unit_former", typed, names = self.named(found, &or))
            }
            Miss::Unknown => t!("import_unit_unknown", typed),
        }
    }

    /// What to do: for an unknown name, the closest known one, which takes a look at every
    /// name of the site (so it is asked only for the messages shown).
    pub(super) fn help(&self, typed: &str, miss: &Miss) -> Text {
        match miss {
            Miss::Empty => t!("import_unit_name_empty_help"),
            Miss::Ambiguous(_) => t!("import_unit_ambiguous_help"),
            Miss::Former(_) => t!("import_unit_former_help"),
            Miss::Unknown => {
                let (full, rest) = name_keys(typed);
                let folded_typed = fold(&rest.unwrap_or(full));
                // Never a unit of another kind than the one typed: "Xã Nhơn Mai" is no ward.
                let kind = typed_kind(typed);
                let of_kind = |i: &usize| kind.is_none_or(|k| self.localities[*i].kind == k);
                let keys =
                    self.bare_folded.iter().filter(|(_, units)| units.iter().any(of_kind)).map(|(k, _)| k.as_str());
                let close = did_you_mean(&folded_typed, keys)
                    .and_then(|k| self.bare_folded.get(k))
                    .and_then(|l| l.iter().find(|i| of_kind(i)))
                    .map(|&i| &self.localities[i].label);
                match close {
                    Some(name) => t!("import_unit_unknown_close", name),
                    None if is_valid_id(typed.trim()) => t!("import_unit_unknown_id_help"),
                    None => t!("import_unit_unknown_help"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: &str, name: &str, code: &str) -> Locality {
        Locality {
            id: id.into(),
            name: name.into(),
            kind: if name.starts_with("Phường") { LocalityKind::Ward } else { LocalityKind::Commune },
            code: Some(code.into()),
            group: None,
            formed_from: Vec::new(),
            label: name.into(),
        }
    }

    fn units() -> Vec<Locality> {
        let mut long_my = unit("long-my", "Phường Long Mỹ", "31471");
        long_my.formed_from =
            vec!["Phường Thuận An (thị xã Long Mỹ)".into(), "Xã Long Trị".into(), "Xã Long Trị A".into()];
        vec![
            unit("van-lang", "Xã Văn Lang", "5875"),
            unit("van-lang-2", "Xã Văn Lăng", "6307"),
            long_my,
            unit("xa-phien", "Xã Xà Phiên", "31495"),
            unit("vi-thanh", "Phường Vị Thanh", "31321"),
            unit("vi-thanh-1", "Xã Vị Thanh 1", "31465"),
        ]
    }

    #[test]
    fn names_match_with_diacritics_first() {
        let units = units();
        let m = Matcher::new(&units);
        assert_eq!(m.find("Xã Văn Lăng"), Ok(1));
        assert_eq!(m.find("văn lang"), Ok(0));
        let miss = m.find("Van Lang").unwrap_err();
        assert_eq!(
            m.message("Van Lang", &miss).to_string(),
            "\"Van Lang\" could be any of Xã Văn Lang (van-lang), Xã Văn Lăng (van-lang-2)"
        );
        for typed in [
            "long my",
            "LONG MỸ",
            "Phuong Long My",
            "phường  long   mỹ",
            "long-my",
            "31471",
            "031471",
            "P. Long Mỹ",
            "P.Long Mỹ",
            "Phường\u{a0}Long Mỹ",
            "Phường Long\u{200b} Mỹ",
            // Decomposed, as macOS and Unikey may type it.
            "Phu\u{31b}o\u{31b}\u{300}ng Long My\u{303}",
        ] {
            assert_eq!(m.find(typed), Ok(2), "{typed:?}");
        }
        // A name that starts like a prefix is still found.
        assert_eq!(m.find("Xa Phien"), Ok(3));
        assert_eq!(m.find("Xà Phiên"), Ok(3));
        assert_eq!(m.find("X. Xà Phiên"), Ok(3));
        let miss = m.find("Lonh Mỹ").unwrap_err();
        assert!(m.message("Lonh Mỹ", &miss).to_string().contains("is not a unit"));
        assert!(m.help("Lonh Mỹ", &miss).to_string().starts_with("did you mean Phường Long Mỹ?"));
    }

    #[test]
    fn i_and_y_are_one_letter_in_names_and_a_tie_is_never_suggested() {
        let mut units = units();
        units.push(unit("nhon-my", "Xã Nhơn Mỹ", "31000"));
        units.push(unit("nhon-ai", "Xã Nhơn Ái", "31001"));
        let m = Matcher::new(&units);
        for typed in ["Xã Nhơn Mĩ", "nhon mi", "Long Mi", "Phường Long Mĩ"] {
            assert!(m.find(typed).is_ok(), "{typed}");
        }
        assert_eq!(m.find("Xã Nhơn Mĩ"), Ok(6));
        // A typed "Xã" is never given a ward: "Xã Long Mõ" is one letter from Phường Long Mỹ.
        let miss = m.find("Xã Long Mõ").unwrap_err();
        assert!(!m.help("Xã Long Mõ", &miss).to_string().contains("did you mean"), "{}", m.help("Xã Long Mõ", &miss));
        let miss = m.find("Phường Long Mõ").unwrap_err();
        assert!(m.help("Phường Long Mõ", &miss).to_string().starts_with("did you mean Phường Long Mỹ?"));
        // One letter from Nhơn Ái and from Nhơn Mỹ: no guess.
        let miss = m.find("Nhơn Mai").unwrap_err();
        assert_eq!(
            m.help("Nhơn Mai", &miss).to_string(),
            "write the name as in data/localities.yaml, or the unit's id or code"
        );
    }

    #[test]
    fn a_name_two_provinces_share_is_never_guessed() {
        let mut units = units();
        units.push(unit("long-my-hg", "Phường Long Mỹ", "99999"));
        let m = Matcher::new(&units);
        assert_eq!(m.find("Phường Long Mỹ"), Err(Miss::Ambiguous(vec![2, 6])));
        assert_eq!(m.find("31471"), Ok(2));
        assert_eq!(m.find("99999"), Ok(6));
    }

    #[test]
    fn a_name_with_its_number_left_out_is_never_guessed() {
        let units = units();
        let m = Matcher::new(&units);
        // The full names are sure.
        assert_eq!(m.find("Phường Vị Thanh"), Ok(4));
        assert_eq!(m.find("Xã Vị Thanh 1"), Ok(5));
        assert_eq!(m.find("vi thanh 1"), Ok(5));
        // "Xã Vị Thanh" is the ward with the wrong prefix, or the commune without its number.
        for typed in ["Xã Vị Thanh", "Vị Thanh", "vi thanh"] {
            assert_eq!(m.find(typed), Err(Miss::Ambiguous(vec![4, 5])), "{typed}");
        }
        // A ward's prefix, however written, says it is the ward.
        for typed in ["phuong vi thanh", "P. Vị Thanh", "P.Vi Thanh", "PHƯỜNG VỊ THANH"] {
            assert_eq!(m.find(typed), Ok(4), "{typed}");
        }
    }

    #[test]
    fn an_old_name_says_which_unit_it_became_and_is_refused() {
        let mut units = units();
        let mut other = unit("thuan-an", "Xã Thuận Hòa", "31000");
        other.formed_from = vec!["Xã Thuận An (huyện Khác)".into()];
        units.push(other);
        let m = Matcher::new(&units);
        for typed in ["Xã Long Trị", "long tri", "LONG TRỊ A", "Phường Thuận An (thị xã Long Mỹ)"] {
            assert_eq!(m.find(typed), Err(Miss::Former(vec![2])), "{typed}");
        }
        // Two old units of that name, in two places: both are said.
        let miss = m.find("Thuận An").unwrap_err();
        assert_eq!(miss, Miss::Former(vec![2, 6]));
        assert_eq!(
            m.message("thuan an", &miss).to_string(),
            "\"thuan an\" is the name of a unit before the 2025 reorganisation; it is now part of \
             Phường Long Mỹ (long-my) or Xã Thuận Hòa (thuan-an)"
        );
        assert!(m.help("thuan an", &miss).to_string().contains("write one row for the new unit"));
        // A name of today comes first: Xã Văn Lang is not an old name of anything.
        assert_eq!(m.find("Xã Văn Lang"), Ok(0));
        assert!(m.knows("Long Trị"));
    }
}
