//! Raw HTTP/1.1 on a fresh connection, to see exactly what the fake puts on the wire
//! (a client library would hide a cut body behind an error).

#![allow(dead_code)] // each test file uses a different part

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use fake_bitbucket::{creds, FakeServer};

pub const COMMITS: &str = "/repositories/acme/core-api/commits?pagelen=50";

/// What arrived on one connection: the head, the de-chunked body, and whether the chunked
/// body was terminated (`0\r\n\r\n`) or cut.
pub struct Wire {
    pub head: String,
    pub body: Vec<u8>,
    pub complete: bool,
}

impl Wire {
    pub fn status(&self) -> u16 {
        self.head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// One GET on a fresh connection with `Connection: close`, read until the server closes it.
pub fn raw_get(srv: &FakeServer, path_and_query: &str, auth: Option<&str>) -> Wire {
    let mut s = TcpStream::connect(("127.0.0.1", srv.port())).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let auth = auth.map(|a| format!("Authorization: {a}\r\n")).unwrap_or_default();
    write!(
        s,
        "GET /2.0{path_and_query} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    // A reset connection may end the read with an error: keep what arrived before it.
    let _ = s.read_to_end(&mut raw);
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut rest = &raw[split + 4..];
    let chunked = head.to_ascii_lowercase().contains("transfer-encoding: chunked");
    if !chunked {
        let len: usize = Wire {
            head: head.clone(),
            body: Vec::new(),
            complete: false,
        }
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
        return Wire {
            complete: rest.len() == len,
            body: rest.to_vec(),
            head,
        };
    }
    let mut body = Vec::new();
    loop {
        let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") else {
            return Wire {
                head,
                body,
                complete: false,
            };
        };
        let size = usize::from_str_radix(std::str::from_utf8(&rest[..eol]).unwrap().trim(), 16).unwrap();
        rest = &rest[eol + 2..];
        if size == 0 {
            return Wire {
                head,
                body,
                complete: true,
            };
        }
        if rest.len() < size + 2 {
            body.extend_from_slice(&rest[..size.min(rest.len())]);
            return Wire {
                head,
                body,
                complete: false,
            };
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

pub fn analyst(srv: &FakeServer, pq: &str) -> Wire {
    raw_get(srv, pq, Some(&creds::analyst()))
}
