//! What defines a site: its settings (`site.yaml`), its localities with their groups, and
//! its indicators.

use std::collections::HashMap;

use super::{MAX_LOCALITIES, check_id, error_at};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Loaded;
use crate::load::site::RawSite;
use crate::load::yaml::Scalar;
use crate::model::{City, Config, Group, Indicator, IndicatorKind, Language, Locality, LocalityKind};
use crate::text;

pub(super) fn config(loaded: &Loaded<RawSite>, diags: &mut Diagnostics) -> Config {
    let (file, raw) = (&loaded.file, &loaded.raw);
    if raw.title.value.trim().is_empty() {
        diags.push(
            error_at(file, &raw.title, "the title is empty")
                .help("give the site a title, e.g. title: \"Tiến độ BHXH — Thành phố Cần Thơ\""),
        );
    }
    let language = match raw.language.as_ref().map(|l| l.value.trim()) {
        None | Some("vi") => Language::Vi,
        Some("en") => Language::En,
        Some(other) => {
            let at = raw.language.as_ref().map(|l| (u64::from(l.line), u64::from(l.column))).unwrap_or((0, 0));
            diags.push(
                Diagnostic::error(&file.rel, format!("the language `{other}` is not supported"))
                    .at(file, at.0, at.1)
                    .help("write language: vi (Vietnamese) or language: en (English)"),
            );
            Language::Vi
        }
    };
    let base_url = raw.base_url.as_ref().and_then(|u| match base_url(&u.value) {
        Some(url) => Some(url),
        None => {
            diags.push(
                error_at(file, u, format!("`{}` is not a web address", u.value))
                    .help("write the full address the site will be published at, e.g. base_url: \"https://example.gov.vn/tien-do\""),
            );
            None
        }
    });
    let mut at_risk = 0.9;
    if let Some(v) = raw.status.as_ref().and_then(|s| s.at_risk.as_ref()) {
        match v.value {
            Scalar::Float(f) if f > 0.0 && f < 1.0 => at_risk = f,
            _ => diags.push(
                error_at(file, v, format!("at_risk must be a share between 0 and 1, not {}", v.value))
                    .help("e.g. at_risk: 0.9 means a projection of at least 90 % of the target is \"at risk\" rather than \"behind\""),
            ),
        }
    }
    Config {
        title: raw.title.value.trim().to_owned(),
        description: raw.description.clone().unwrap_or_default().trim().to_owned(),
        language,
        publisher: raw.publisher.clone().filter(|p| !p.trim().is_empty()),
        base_url,
        at_risk,
        notice: raw.notice.clone().filter(|n| !n.trim().is_empty()),
    }
}

/// The address a site is published at, without a trailing `/`, or `None` when `text` is
/// not an `http` or `https` address that can stand in an attribute as it is.
pub fn base_url(text: &str) -> Option<String> {
    let url = text.trim().trim_end_matches('/');
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    let host = url.split_once("://").map_or("", |(_, rest)| rest);
    let plain = !url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\' | '`'));
    (scheme_ok && !host.is_empty() && !host.starts_with('/') && plain).then(|| url.to_owned())
}

pub(super) fn localities(
    loaded: &Loaded<crate::load::localities::RawLocalities>,
    diags: &mut Diagnostics,
) -> (City, Vec<Locality>, Vec<Group>) {
    let (file, raw) = (&loaded.file, &loaded.raw);
    let city = &raw.city.value;
    if let Err(d) = check_id(file, &city.id, "city") {
        diags.push(d);
    }
    if city.name.value.trim().is_empty() {
        diags.push(error_at(file, &city.name, "the city's name is empty").help("e.g. name: \"Thành phố Cần Thơ\""));
    }
    if raw.localities.value.is_empty() {
        diags.push(
            error_at(file, &raw.localities, "the list of localities is empty")
                .help("list every ward and commune, e.g.\n- { id: long-my, name: \"Phường Long Mỹ\", kind: ward }"),
        );
    }
    if raw.localities.value.len() > MAX_LOCALITIES {
        diags.push(
            error_at(file, &raw.localities, format!("the file lists {} localities", raw.localities.value.len()))
                .help(format!("a site can have at most {MAX_LOCALITIES} localities (a national site has 3,321)")),
        );
    }
    let mut seen: HashMap<&str, u32> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut group_index: HashMap<String, usize> = HashMap::new();
    let mut list = Vec::with_capacity(raw.localities.value.len());
    for (index, l) in raw.localities.value.iter().enumerate() {
        let id = &l.id;
        match check_id(file, id, "locality") {
            Err(d) => diags.push(d),
            Ok(()) => {
                if let Some(first) = seen.insert(&id.value, id.line) {
                    diags.push(
                        error_at(file, id, format!("the id `{}` is used twice", id.value))
                            .help(format!("it is already used on line {first}; every locality needs its own id")),
                    );
                } else if id.value == city.id.value {
                    diags.push(
                        error_at(file, id, format!("`{}` is the city's id", id.value))
                            .help("the city and its localities need different ids, because figures.csv names both"),
                    );
                }
            }
        }
        if l.name.value.trim().is_empty() {
            diags.push(error_at(file, &l.name, "the name is empty").help("e.g. name: \"Phường Long Mỹ\""));
        }
        let kind = match l.kind.value.trim() {
            "ward" => LocalityKind::Ward,
            "commune" => LocalityKind::Commune,
            "special-zone" => LocalityKind::SpecialZone,
            other => {
                diags.push(
                    error_at(file, &l.kind, format!("`{other}` is not a kind of locality"))
                        .help("write kind: ward (phường), kind: commune (xã) or kind: special-zone (đặc khu)"),
                );
                LocalityKind::Ward
            }
        };
        let code = l.code.as_ref().and_then(|c| match &c.value {
            Scalar::Int(i) if *i >= 0 => Some(i.to_string()),
            Scalar::Text(t) if !t.trim().is_empty() && t.trim().chars().all(|c| c.is_ascii_alphanumeric()) => {
                Some(t.trim().to_owned())
            }
            other => {
                diags.push(
                    error_at(file, c, format!("{other} is not a code"))
                        .help("write the statistics office's code as digits, e.g. code: 31471, or leave it out"),
                );
                None
            }
        });
        let group = l.group.as_ref().and_then(|g| {
            let name = g.value.trim();
            let slug = text::slug(name);
            if slug.is_empty() {
                diags.push(
                    error_at(file, g, "the group name has no letters or digits").help("e.g. group: \"Sóc Trăng cũ\""),
                );
                return None;
            }
            if slug.len() > text::MAX_ID_LEN {
                // The slug names the group's folder, and file systems limit names.
                diags.push(error_at(file, g, "the group name is too long").help(format!(
                    "its page's address would be {} characters long, and may be at most {}: shorten the name",
                    slug.len(),
                    text::MAX_ID_LEN
                )));
                return None;
            }
            let gi = *group_index.entry(slug.clone()).or_insert_with(|| {
                groups.push(Group { name: name.to_owned(), slug: slug.clone(), members: Vec::new() });
                groups.len() - 1
            });
            if groups[gi].name != name {
                diags.push(
                    error_at(
                        file,
                        g,
                        format!("the group \"{name}\" differs from \"{}\" only in spelling", groups[gi].name),
                    )
                    .help("both would get the same page; write the group's name the same way everywhere"),
                );
            }
            groups[gi].members.push(index);
            Some(gi)
        });
        list.push(Locality { id: id.value.clone(), name: collapse_spaces(&l.name.value), kind, code, group });
    }
    let city = City { id: city.id.value.clone(), name: collapse_spaces(&city.name.value) };
    (city, list, groups)
}

pub(super) fn indicators(
    loaded: &Loaded<crate::load::indicators::RawIndicators>,
    diags: &mut Diagnostics,
) -> Vec<Indicator> {
    let (file, raw) = (&loaded.file, &loaded.raw);
    let mut seen: HashMap<&str, u32> = HashMap::new();
    let mut list = Vec::with_capacity(raw.len());
    if raw.is_empty() {
        diags.push(Diagnostic::error(&file.rel, "no indicators are defined").help(
            "list at least one, e.g.\n- { id: voluntary-si, name: \"Người tham gia BHXH tự nguyện\", kind: count }",
        ));
    }
    for entry in raw {
        let i = &entry.value;
        match check_id(file, &i.id, "indicator") {
            Err(d) => diags.push(d),
            Ok(()) => {
                if let Some(first) = seen.insert(&i.id.value, i.id.line) {
                    diags.push(
                        error_at(file, &i.id, format!("the id `{}` is used twice", i.id.value))
                            .help(format!("it is already used on line {first}; every indicator needs its own id")),
                    );
                }
            }
        }
        if i.name.value.trim().is_empty() {
            diags.push(
                error_at(file, &i.name, "the name is empty").help("e.g. name: \"Người tham gia BHXH tự nguyện\""),
            );
        }
        let kind = match i.kind.value.trim() {
            "count" => IndicatorKind::Count,
            "coverage" => IndicatorKind::Coverage,
            other => {
                diags.push(error_at(file, &i.kind, format!("`{other}` is not a kind of indicator")).help(
                    "write kind: count (progress = value / target) or kind: coverage (a rate of a base population)",
                ));
                IndicatorKind::Count
            }
        };
        let name = collapse_spaces(&i.name.value);
        list.push(Indicator {
            id: i.id.value.clone(),
            short: i.short.as_deref().map(collapse_spaces).filter(|s| !s.is_empty()).unwrap_or_else(|| name.clone()),
            name,
            unit: i.unit.as_deref().map(collapse_spaces).unwrap_or_default(),
            kind,
            base_label: i.base.as_deref().map(collapse_spaces).filter(|s| !s.is_empty()),
            aliases: i.aliases.iter().flatten().map(|a| collapse_spaces(a)).filter(|a| !a.is_empty()).collect(),
        });
    }
    list
}

/// Trims and turns runs of white space into one space, as names typed or pasted often need.
fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
