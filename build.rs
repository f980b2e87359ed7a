//! Turns `src/i18n/messages.toml` (every message, both languages side by side) into the
//! `Strings` struct and its `ZH` and `EN` constants, included by `src/i18n/mod.rs`.
//!
//! The checks a hand-written struct got from the compiler happen here, before it, with the
//! message's name: a language missing, a placeholder not among the message's values, a value
//! a language leaves out. The wasm gets the same constants as before; the TOML reader runs on
//! the build machine only.

use std::fmt::Write as _;
use std::path::Path;

const MESSAGES: &str = "src/i18n/messages.toml";

/// The languages, as (key in the file, constant, `Lang` variant).
const LANGUAGES: [(&str, &str, &str); 2] = [("zh", "ZH", "Zh"), ("en", "EN", "En")];

fn main() {
    println!("cargo::rerun-if-changed={MESSAGES}");
    println!("cargo::rerun-if-changed=build.rs");
    let generated = std::fs::read_to_string(MESSAGES)
        .map_err(|e| vec![format!("cannot read {MESSAGES}: {e}")])
        .and_then(|text| text.parse::<toml::Table>().map_err(|e| vec![format!("{MESSAGES} is not valid TOML: {e}")]))
        .and_then(|table| generate(&table));
    match generated {
        Ok(code) => {
            let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
            std::fs::write(Path::new(&out).join("strings.rs"), code).expect("OUT_DIR is writable");
        }
        Err(errors) => {
            for error in errors {
                eprintln!("error: {MESSAGES}: {error}");
            }
            std::process::exit(1);
        }
    }
}

/// One message, checked: its field type and its value in each language (in `LANGUAGES` order).
struct Message {
    name: String,
    field_type: String,
    values: Vec<String>,
}

fn generate(table: &toml::Table) -> Result<String, Vec<String>> {
    let mut messages = Vec::new();
    let mut errors = Vec::new();
    for (name, entry) in table {
        match message(name, entry) {
            Ok(message) => messages.push(message),
            Err(mut problems) => errors.append(&mut problems),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut code = String::from("/// Every message of the app in one language; generated from `messages.toml`.\npub struct Strings {\n");
    for m in &messages {
        let _ = writeln!(code, "    pub {}: {},", m.name, m.field_type);
    }
    code.push_str("}\n");
    for (index, (_, constant, _)) in LANGUAGES.iter().enumerate() {
        let _ = writeln!(code, "pub const {constant}: Strings = Strings {{");
        for m in &messages {
            let _ = writeln!(code, "    {}: {},", m.name, m.values[index]);
        }
        code.push_str("};\n");
    }
    Ok(code)
}

const KEYS: [&str; 7] = ["en", "zh", "args", "words", "plural", "en_one", "zh_one"];

fn message(name: &str, entry: &toml::Value) -> Result<Message, Vec<String>> {
    let Some(entry) = entry.as_table() else {
        return Err(vec![format!("`{name}` must be a table ([{name}] with en = \"…\" and zh = \"…\")")]);
    };
    let mut errors = Vec::new();
    if !name.starts_with(|c: char| c.is_ascii_lowercase())
        || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        errors.push(format!("`{name}`: a message's name is lower_snake_case, as the screens read it"));
    }
    for key in entry.keys().filter(|key| !KEYS.contains(&key.as_str())) {
        errors.push(format!("`{name}`: unknown key `{key}` (known: {})", KEYS.join(", ")));
    }
    let text = |key: &str, errors: &mut Vec<String>| match entry.get(key) {
        None => None,
        Some(toml::Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errors.push(format!("`{name}`: `{key}` must be a string"));
            None
        }
    };
    if let Some(words) = text("words", &mut errors) {
        if let Some(key) = ["en", "zh", "args", "plural", "en_one", "zh_one"].iter().find(|key| entry.contains_key(**key)) {
            errors.push(format!("`{name}`: takes its words from core (`words`), so it has no `{key}`"));
        }
        if !words.contains("LANG") {
            errors.push(format!("`{name}`: `words` must pass LANG, the language, to core"));
        }
        let values = LANGUAGES.iter().map(|(_, _, lang)| format!("words::{}", words.replace("LANG", &format!("Lang::{lang}")))).collect();
        return if errors.is_empty() { Ok(Message { name: name.into(), field_type: "&'static str".into(), values }) } else { Err(errors) };
    }
    let args = match text("args", &mut errors).map(|args| parse_args(&args)).transpose() {
        Ok(args) => args,
        Err(e) => {
            errors.push(format!("`{name}`: {e}"));
            None
        }
    };
    let plural = text("plural", &mut errors);
    if let Some(plural) = &plural {
        if !args.iter().flatten().any(|(arg, _)| arg == plural) {
            errors.push(format!("`{name}`: `plural = \"{plural}\"` is not one of its args"));
        }
    }
    let mut values = Vec::new();
    for (lang, _, _) in LANGUAGES {
        let Some(main) = text(lang, &mut errors) else {
            if !entry.contains_key(lang) {
                errors.push(format!("`{name}`: no `{lang}` text"));
            }
            continue;
        };
        let one_key = format!("{lang}_one");
        let one = text(&one_key, &mut errors);
        if one.is_some() && plural.is_none() {
            errors.push(format!("`{name}`: `{one_key}` needs `plural`, the value that chooses it"));
        }
        match value(&main, one.as_deref(), args.as_deref(), plural.as_deref()) {
            Ok(value) => values.push(value),
            Err(e) => errors.push(format!("`{name}`, {lang}: {e}")),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let field_type = match &args {
        None => "&'static str".into(),
        Some(args) => format!("fn({}) -> String", args.iter().map(|(n, t)| format!("{n}: {t}")).collect::<Vec<_>>().join(", ")),
    };
    Ok(Message { name: name.into(), field_type, values })
}

/// `"count: usize, since: &str"` → its (name, type) pairs.
fn parse_args(args: &str) -> Result<Vec<(String, String)>, String> {
    args.split(',')
        .map(|arg| {
            let (name, ty) = arg.split_once(':').ok_or_else(|| format!("args: `{}` is not `name: type`", arg.trim()))?;
            let (name, ty) = (name.trim(), ty.trim());
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || ty.is_empty() {
                return Err(format!("args: `{}` is not `name: type`", arg.trim()));
            }
            Ok((name.to_string(), ty.to_string()))
        })
        .collect()
}

/// One language's value: a string literal, or for a message with values a closure that
/// formats the text (and its `one` variant when `plural` is 1).
fn value(text: &str, one: Option<&str>, args: Option<&[(String, String)]>, plural: Option<&str>) -> Result<String, String> {
    let Some(args) = args else {
        return match placeholders(text)?.first() {
            Some(p) => Err(format!("placeholder {{{p}}} but the message declares no args")),
            None => Ok(literal(&unescape_braces(text))),
        };
    };
    let mut used: Vec<String> = placeholders(text)?;
    if let Some(one) = one {
        used.extend(placeholders(one)?);
    }
    used.extend(plural.map(String::from));
    if let Some(unknown) = used.iter().find(|p| !args.iter().any(|(arg, _)| arg == *p)) {
        return Err(format!("placeholder {{{unknown}}} is not among its args"));
    }
    if let Some((missing, _)) = args.iter().find(|(arg, _)| !used.contains(arg)) {
        return Err(format!("does not use {{{missing}}}"));
    }
    let params = args.iter().map(|(n, t)| format!("{n}: {t}")).collect::<Vec<_>>().join(", ");
    let body = match (one, plural) {
        (Some(one), Some(plural)) => format!("if {plural} == 1 {{ {} }} else {{ {} }}", format_text(one)?, format_text(text)?),
        _ => format_text(text)?,
    };
    Ok(format!("|{params}| {body}"))
}

/// `format!` for a text with placeholders; a plain `String` for one without.
fn format_text(text: &str) -> Result<String, String> {
    Ok(if placeholders(text)?.is_empty() {
        format!("String::from({})", literal(&unescape_braces(text)))
    } else {
        format!("format!({})", literal(text))
    })
}

/// The names in `{name}`; `{{` and `}}` are braces. Anything else in braces is refused.
fn placeholders(text: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
            }
            '{' => {
                let mut name = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == '}' {
                        closed = true;
                        break;
                    }
                    name.push(c);
                }
                if !closed || name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Err(format!("`{{{name}` is not a placeholder: write {{name}}, or {{{{ for a brace"));
                }
                names.push(name);
            }
            '}' => return Err("a lone `}`: write }} for a brace".into()),
            _ => {}
        }
    }
    Ok(names)
}

fn unescape_braces(text: &str) -> String {
    text.replace("{{", "{").replace("}}", "}")
}

/// A Rust string literal holding `text`.
fn literal(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
