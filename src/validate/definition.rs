//! What defines a site: its settings (`site.yaml`), its localities with their groups, and
//! its indicators.

use std::collections::HashMap;

use super::{Kind, MAX_LOCALITIES, check_id, error_at};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Loaded;
use crate::load::site::RawSite;
use crate::load::yaml::At;
use crate::load::yaml::Scalar;
use crate::model::{City, Config, Group, Indicator, IndicatorKind, Language, Locality, LocalityKind};
use crate::t;
use crate::text;

pub(super) fn config(loaded: &Loaded<RawSite>, diags: &mut Diagnostics) -> Config {
    let (file, raw) = (&loaded.file, &loaded.raw);
    name_too_long(file, &raw.title, MAX_TITLE, diags);
    // Each is on every page, and the notice on every picture too.
    for (text, max) in [
        (&raw.description, MAX_DESCRIPTION),
        (&raw.publisher, MAX_TITLE),
        (&raw.notice, MAX_NOTICE),
        (&raw.boundaries_source, MAX_DESCRIPTION),
    ] {
        if let Some(text) = text {
            super::too_long(file, text, max, |n, max| (t!("text_too_long", n, max), t!("text_too_long_help")), diags);
        }
    }
    if raw.title.value.trim().is_empty() {
        diags.push(error_at(file, &raw.title, t!("title_empty")).help(t!("title_empty_help")));
    }
    let language = match raw.language.as_ref().map(|l| l.value.trim()) {
        None => Language::default_language(),
        Some(code) if let Some(language) = Language::get(code) => language,
        Some(other) => {
            let at = raw.language.as_ref().map(|l| (u64::from(l.line), u64::from(l.column))).unwrap_or((0, 0));
            diags.push(
                Diagnostic::error(&file.rel, t!("language_unsupported", language = other))
                    .at(file, at.0, at.1)
                    .help(t!("language_unsupported_help", languages = Language::list())),
            );
            Language::default_language()
        }
    };
    let base_url = raw.base_url.as_ref().and_then(|u| match base_url(&u.value) {
        Some(url) => Some(url),
        None => {
            diags.push(error_at(file, u, t!("not_a_web_address", value = &u.value)).help(t!("not_a_web_address_help")));
            None
        }
    });
    let mut at_risk = 0.9;
    if let Some(v) = raw.status.as_ref().and_then(|s| s.at_risk.as_ref()) {
        match v.value {
            Scalar::Float(f) if f > 0.0 && f < 1.0 => at_risk = f,
            _ => diags.push(
                error_at(file, v, t!("at_risk_not_a_share", value = v.value.describe()))
                    .help(t!("at_risk_not_a_share_help")),
            ),
        }
    }
    Config {
        title: raw.title.value.trim().to_owned(),
        description: raw.description.as_ref().map(|d| d.value.trim().to_owned()).unwrap_or_default(),
        language,
        publisher: raw.publisher.as_ref().map(|p| p.value.clone()).filter(|p| !p.trim().is_empty()),
        base_url,
        at_risk,
        notice: raw.notice.as_ref().map(|n| n.value.clone()).filter(|n| !n.trim().is_empty()),
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

/// The most characters a name may have (a unit's, the city's, an indicator's): the
/// longest of the country's 3,321 units has under 30, and every name is drawn on pages
/// and pictures, where one of thousands of characters would take minutes.
const MAX_NAME: usize = 120;
/// The most characters of the site's title, and of its publisher's name.
const MAX_TITLE: usize = 200;
/// The most characters of the site's description and of the outlines' source: a
/// sentence or two.
const MAX_DESCRIPTION: usize = 300;
/// The most characters of the site's notice, which heads every page and picture.
const MAX_NOTICE: usize = 500;

/// An error when `name` has more than `max` characters.
fn name_too_long(file: &crate::load::SourceFile, name: &At<String>, max: usize, diags: &mut Diagnostics) {
    super::too_long(file, name, max, |n, max| (t!("name_too_long", n, max), t!("name_too_long_help")), diags);
}

pub(super) fn localities(
    loaded: &Loaded<crate::load::localities::RawLocalities>,
    diags: &mut Diagnostics,
) -> (City, Vec<Locality>, Vec<Group>) {
    let (file, raw) = (&loaded.file, &loaded.raw);
    let city = &raw.city.value;
    if let Err(d) = check_id(file, &city.id, Kind::City) {
        diags.push(d);
    }
    name_too_long(file, &city.name, MAX_NAME, diags);
    if city.name.value.trim().is_empty() {
        diags.push(error_at(file, &city.name, t!("city_name_empty")).help(t!("city_name_empty_help")));
    }
    if raw.localities.value.is_empty() {
        diags.push(error_at(file, &raw.localities, t!("localities_empty")).help(t!("localities_empty_help")));
    }
    if raw.localities.value.len() > MAX_LOCALITIES {
        diags.push(
            error_at(file, &raw.localities, t!("too_many_localities", n = raw.localities.value.len()))
                .help(t!("too_many_localities_help", max = MAX_LOCALITIES)),
        );
    }
    let mut seen: HashMap<&str, u32> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut group_index: HashMap<String, usize> = HashMap::new();
    let mut list = Vec::with_capacity(raw.localities.value.len());
    for (index, l) in raw.localities.value.iter().enumerate() {
        let id = &l.id;
        match check_id(file, id, Kind::Locality) {
            Err(d) => diags.push(d),
            Ok(()) => {
                if let Some(first) = seen.insert(&id.value, id.line) {
                    diags.push(
                        error_at(file, id, t!("id_used_twice", id = &id.value))
                            .help(t!("id_used_twice_locality_help", first)),
                    );
                } else if id.value == city.id.value {
                    diags
                        .push(error_at(file, id, t!("id_is_the_city", id = &id.value)).help(t!("id_is_the_city_help")));
                }
            }
        }
        name_too_long(file, &l.name, MAX_NAME, diags);
        if l.name.value.trim().is_empty() {
            diags.push(error_at(file, &l.name, t!("name_empty")).help(t!("locality_name_empty_help")));
        }
        let kind = match l.kind.value.trim() {
            "ward" => LocalityKind::Ward,
            "commune" => LocalityKind::Commune,
            "special-zone" => LocalityKind::SpecialZone,
            other => {
                diags.push(
                    error_at(file, &l.kind, t!("locality_kind_unknown", kind = other))
                        .help(t!("locality_kind_unknown_help")),
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
                    error_at(file, c, t!("code_not_a_code", value = other.describe())).help(t!("code_not_a_code_help")),
                );
                None
            }
        });
        let group = l.group.as_ref().and_then(|g| {
            let name = g.value.trim();
            let slug = text::slug(name);
            if slug.is_empty() {
                diags.push(error_at(file, g, t!("group_name_blank")).help(t!("group_name_blank_help")));
                return None;
            }
            if slug.len() > text::MAX_ID_LEN {
                // The slug names the group's folder, and file systems limit names.
                diags.push(error_at(file, g, t!("group_name_too_long")).help(t!(
                    "group_name_too_long_help",
                    length = slug.len(),
                    max = text::MAX_ID_LEN
                )));
                return None;
            }
            let gi = *group_index.entry(slug.clone()).or_insert_with(|| {
                groups.push(Group { name: name.to_owned(), slug: slug.clone(), members: Vec::new() });
                groups.len() - 1
            });
            if groups[gi].name != name {
                diags.push(
                    error_at(file, g, t!("group_spelt_two_ways", name, first = &groups[gi].name))
                        .help(t!("group_spelt_two_ways_help")),
                );
            }
            groups[gi].members.push(index);
            Some(gi)
        });
        let formed_from = l
            .formed_from
            .as_ref()
            .map(|names| {
                names
                    .value
                    .iter()
                    .filter_map(|n| {
                        // Lists of old names come composed and decomposed (a tone mark
                        // typed apart from its letter): shown and searched the same way.
                        let name: String = {
                            use unicode_normalization::UnicodeNormalization;
                            collapse_spaces(&n.value).nfc().collect()
                        };
                        if name.is_empty() {
                            diags.push(error_at(file, n, t!("formed_from_empty")).help(t!("formed_from_empty_help")));
                            return None;
                        }
                        Some(name)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let name = collapse_spaces(&l.name.value);
        list.push(Locality { id: id.value.clone(), label: name.clone(), name, kind, code, group, formed_from });
    }
    // A name two units share is not enough to tell them apart: their group is.
    let mut names: HashMap<&str, u32> = HashMap::new();
    for l in &list {
        *names.entry(l.name.as_str()).or_default() += 1;
    }
    let shared: Vec<bool> = list.iter().map(|l| names[l.name.as_str()] > 1).collect();
    for (l, shared) in list.iter_mut().zip(shared) {
        if let (true, Some(g)) = (shared, l.group) {
            l.label = format!("{}, {}", l.name, groups[g].name);
        }
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
        diags.push(Diagnostic::error(&file.rel, t!("indicators_empty")).help(t!("indicators_empty_help")));
    }
    for entry in raw {
        let i = &entry.value;
        match check_id(file, &i.id, Kind::Indicator) {
            Err(d) => diags.push(d),
            Ok(()) => {
                if let Some(first) = seen.insert(&i.id.value, i.id.line) {
                    diags.push(
                        error_at(file, &i.id, t!("id_used_twice", id = &i.id.value))
                            .help(t!("id_used_twice_indicator_help", first)),
                    );
                }
            }
        }
        // Every one of them is drawn on pages, charts and pictures.
        for name in [Some(&i.name), i.short.as_ref(), i.unit.as_ref(), i.base.as_ref()].into_iter().flatten() {
            name_too_long(file, name, MAX_NAME, diags);
        }
        if i.name.value.trim().is_empty() {
            diags.push(error_at(file, &i.name, t!("name_empty")).help(t!("indicator_name_empty_help")));
        }
        let kind = match i.kind.value.trim() {
            "count" => IndicatorKind::Count,
            "coverage" => IndicatorKind::Coverage,
            other => {
                diags.push(
                    error_at(file, &i.kind, t!("indicator_kind_unknown", kind = other))
                        .help(t!("indicator_kind_unknown_help")),
                );
                IndicatorKind::Count
            }
        };
        let name = collapse_spaces(&i.name.value);
        list.push(Indicator {
            id: i.id.value.clone(),
            short: i
                .short
                .as_ref()
                .map(|s| collapse_spaces(&s.value))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| name.clone()),
            name,
            unit: i.unit.as_ref().map(|u| collapse_spaces(&u.value)).unwrap_or_default(),
            kind,
            base_label: i.base.as_ref().map(|b| collapse_spaces(&b.value)).filter(|s| !s.is_empty()),
            aliases: i.aliases.iter().flatten().map(|a| collapse_spaces(a)).filter(|a| !a.is_empty()).collect(),
        });
    }
    list
}

/// Trims and turns runs of white space into one space, as names typed or pasted often need.
fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
