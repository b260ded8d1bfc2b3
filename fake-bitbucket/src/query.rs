//! The query string as an ordered list of decoded pairs. Order and repeats are kept so that
//! `next`/`previous` can carry every original parameter (reference 2.1, 8.6).

use url::form_urlencoded;

use crate::errors::ApiError;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryParams {
    pairs: Vec<(String, String)>,
}

impl QueryParams {
    /// Decodes like a form: `%XX` escapes, and a raw `+` becomes a space (as on the real server).
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .map(|q| {
                form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        QueryParams { pairs }
    }

    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        QueryParams {
            pairs: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    pub fn has(&self, key: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == key)
    }

    pub fn get_all(&self, key: &str) -> Vec<&str> {
        self.pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()).collect()
    }

    /// A parameter that may appear at most once; repeats (e.g. a client re-appending `q` to a
    /// `next` URL) are a 400, as observed on the real service.
    pub fn single(&self, key: &str) -> Result<Option<&str>, ApiError> {
        let all = self.get_all(key);
        match all.len() {
            0 => Ok(None),
            1 => Ok(Some(all[0])),
            _ => Err(ApiError::bad_request(format!("The query parameter '{key}' may only be given once"))),
        }
    }

    /// The query string re-encoded, with `page` replaced in place (or appended).
    pub fn with_page(&self, page: &str) -> String {
        self.with_param("page", page)
    }

    /// The query string re-encoded, with `key` (first occurrence) replaced in place or appended.
    pub fn with_param(&self, key: &str, value: &str) -> String {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        let mut replaced = false;
        for (k, v) in &self.pairs {
            if k == key {
                if !replaced {
                    ser.append_pair(k, value);
                    replaced = true;
                }
            } else {
                ser.append_pair(k, v);
            }
        }
        if !replaced {
            ser.append_pair(key, value);
        }
        ser.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plus_is_space_and_percent_2b_is_plus() {
        let q = QueryParams::parse(Some("fields=+values.a&f2=%2Bvalues.b"));
        assert_eq!(q.get_all("fields"), vec![" values.a"]);
        assert_eq!(q.get_all("f2"), vec!["+values.b"]);
    }

    #[test]
    fn with_page_keeps_everything_else_and_repeats() {
        let q = QueryParams::parse(Some("state=OPEN&q=name%20~%20%22a%22&state=MERGED&page=2&fields=%2Bvalues.x"));
        assert_eq!(
            q.with_page("3"),
            "state=OPEN&q=name+%7E+%22a%22&state=MERGED&page=3&fields=%2Bvalues.x"
        );
        let q = QueryParams::parse(Some("pagelen=5"));
        assert_eq!(q.with_page("2"), "pagelen=5&page=2");
    }

    #[test]
    fn repeated_single_param_is_400() {
        let q = QueryParams::parse(Some("q=a&q=b"));
        assert_eq!(q.single("q").unwrap_err().status, 400);
        assert_eq!(q.single("sort").unwrap(), None);
    }
}
