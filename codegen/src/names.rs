//! Identifier rules: case conversion and what Rust accepts as a name.

/// `idToken` -> `id_token`, `X-PLATFORM` -> `x_platform`, `OrderItem` -> `order_item`.
pub fn snake_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '-' || c == ' ' || c == '.' {
            out.push('_');
        } else if c.is_ascii_uppercase() {
            let previous = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1);
            let boundary = previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                || (previous.is_some_and(|p| p.is_ascii_uppercase())
                    && next.is_some_and(|n| n.is_ascii_lowercase()));
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `get_order` -> `GetOrder`.
pub fn pascal_case(text: &str) -> String {
    text.split(['_', '-', ' '])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// `get_order` -> `get-order`.
pub fn kebab_case(text: &str) -> String {
    text.replace('_', "-")
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Names that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Whether `word` is a Rust keyword.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// Checks a snake_case Rust name (field, param, method): returns what is wrong, if anything.
/// `r#type` is accepted as the escape of a keyword.
pub fn check_snake_ident(name: &str) -> Result<(), String> {
    let (raw, bare) = match name.strip_prefix("r#") {
        Some(bare) => (true, bare),
        None => (false, name),
    };
    let mut chars = bare.chars();
    let starts_well = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    if !starts_well
        || !bare
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        || bare == "_"
    {
        return Err(format!(
            "`{name}` is not a valid snake_case identifier (lowercase letters, digits and `_`, not starting with a digit)"
        ));
    }
    if raw && NOT_RAW.contains(&bare) {
        return Err(format!("`{bare}` cannot be used as a name, even escaped"));
    }
    if !raw && is_keyword(bare) {
        return Err(format!(
            "`{bare}` is a Rust keyword: escape it as `r#{bare}` or choose another name with `rust:`"
        ));
    }
    Ok(())
}

/// Checks a PascalCase type name.
pub fn check_type_ident(name: &str) -> Result<(), String> {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    if !valid {
        return Err(format!(
            "`{name}` is not a valid type name (PascalCase: an uppercase letter, then letters and digits)"
        ));
    }
    if name == "Self" {
        return Err("`Self` is a Rust keyword".into());
    }
    if IMPORTED_TYPE_NAMES.contains(&name) {
        return Err(format!(
            "`{name}` is a name the generated code takes from Rust's standard library: choose another"
        ));
    }
    Ok(())
}

/// The standard library's names every generated module imports, so that the generated code
/// says `Option<String>` rather than `::std::option::Option<::std::string::String>`: a
/// catalogue type may not take them.
pub const IMPORTED_TYPE_NAMES: &[&str] = &["Option", "Some", "None", "Result", "String", "Vec"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_convert() {
        assert_eq!(snake_case("idToken"), "id_token");
        assert_eq!(snake_case("X-PLATFORM"), "x_platform");
        assert_eq!(snake_case("serverAuthCode"), "server_auth_code");
        assert_eq!(snake_case("place_id"), "place_id");
        assert_eq!(snake_case("HTMLBody"), "html_body");
        assert_eq!(pascal_case("get_order"), "GetOrder");
        assert_eq!(kebab_case("get_order"), "get-order");
    }

    #[test]
    fn identifiers_are_checked() {
        assert!(check_snake_ident("get_order").is_ok());
        assert!(check_snake_ident("r#type").is_ok());
        assert!(check_snake_ident("type").unwrap_err().contains("keyword"));
        assert!(check_snake_ident("getOrder").is_err());
        assert!(check_snake_ident("1st").is_err());
        assert!(check_snake_ident("r#self").is_err());
        assert!(check_type_ident("Order").is_ok());
        assert!(check_type_ident("order").is_err());
        assert!(check_type_ident("Option")
            .unwrap_err()
            .contains("standard library"));
        assert!(check_type_ident("Optional").is_ok());
    }
}
