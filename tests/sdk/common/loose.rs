//! Comparing JSON the way the real server's looseness requires: a re-encoded answer equals the
//! vendor's when every field is there with the same value, whatever JSON form the value takes.

use serde_json::Value;

/// Checks that `ours` (what the SDK wrote back) holds what `theirs` (the vendor's JSON) holds:
/// the same keys with the same values, where
/// - a number equals a string holding it (`1000` and `"1000"`), and a boolean equals `1`/`0`
///   in any form (`true` and `"1"`);
/// - a key set to `null` equals an absent key (an unset optional field is not written);
/// - a string holding JSON equals a string holding the same JSON (message parts re-encoded).
///
/// Returns the path of the first difference.
pub fn check(ours: &Value, theirs: &Value) -> Result<(), String> {
    compare(ours, theirs, "$")
}

fn compare(ours: &Value, theirs: &Value, path: &str) -> Result<(), String> {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in b {
                match a.get(key) {
                    Some(mine) => compare(mine, value, &format!("{path}.{key}"))?,
                    None if value.is_null() => {}
                    None => return Err(format!("{path}.{key}: missing (vendor: {value})")),
                }
            }
            for (key, value) in a {
                if !b.contains_key(key) && !value.is_null() {
                    return Err(format!("{path}.{key}: added ({value})"));
                }
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Err(format!("{path}: {} items, vendor {}", a.len(), b.len()));
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(x, y, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        _ if scalar_text(ours) == scalar_text(theirs) && scalar_text(ours).is_some() => Ok(()),
        _ if number(ours).is_some() && number(ours) == number(theirs) => Ok(()),
        _ if truth(ours).is_some() && truth(ours) == truth(theirs) => Ok(()),
        (Value::String(a), Value::String(b)) => {
            match (
                serde_json::from_str::<Value>(a),
                serde_json::from_str::<Value>(b),
            ) {
                (Ok(x @ (Value::Array(_) | Value::Object(_))), Ok(y)) => compare(&x, &y, path),
                _ => Err(format!("{path}: {ours} vs vendor {theirs}")),
            }
        }
        _ => Err(format!("{path}: {ours} vs vendor {theirs}")),
    }
}

/// The text of a scalar: a string as it is, a number as its JSON text.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A number in any of the server's forms (`55`, `55.0`, `"55"`).
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A boolean in any of the server's forms.
fn truth(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) if n.as_u64() == Some(1) => Some(true),
        Value::Number(n) if n.as_u64() == Some(0) => Some(false),
        Value::String(s) if s == "1" || s == "true" => Some(true),
        Value::String(s) if s == "0" || s == "false" => Some(false),
        _ => None,
    }
}

#[test]
fn the_comparison_is_loose_only_where_the_server_is() {
    use serde_json::json;
    assert!(check(&json!({"a": 1, "b": true}), &json!({"a": "1", "b": "1"})).is_ok());
    assert!(check(&json!({}), &json!({"gone": null})).is_ok());
    assert!(check(&json!("[{\"x\":1}]"), &json!("[{\"x\": \"1\"}]")).is_ok());
    assert!(check(&json!({"price": 55.0}), &json!({"price": "55"})).is_ok());
    assert!(check(&json!({"a": 1}), &json!({"a": 2})).is_err());
    assert!(check(&json!({"a": 1.5}), &json!({"a": "1.6"})).is_err());
    assert!(check(&json!({}), &json!({"a": 0})).is_err());
    assert!(check(&json!({"a": 1, "b": 2}), &json!({"a": 1})).is_err());
    assert!(check(&json!([1]), &json!([1, 2])).is_err());
    assert!(check(&json!("x"), &json!("y")).is_err());
}
