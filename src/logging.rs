//! `tracing` to the file named by `LogFile`, never stdout/stderr. One global subscriber whose
//! writer and level follow the most recent connection that set them.

use parking_lot::Mutex;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Once;

static LEVEL: AtomicU8 = AtomicU8::new(0);
static FILE: Mutex<Option<(String, File)>> = Mutex::new(None);
static INIT: Once = Once::new();

struct LogWriter;

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some((_, f)) = FILE.lock().as_mut() {
            let _ = f.write_all(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        if let Some((_, f)) = FILE.lock().as_mut() {
            let _ = f.flush();
        }
        Ok(())
    }
}

fn level_of(meta: &tracing::Metadata<'_>) -> u8 {
    match *meta.level() {
        tracing::Level::ERROR => 1,
        tracing::Level::WARN => 2,
        tracing::Level::INFO => 3,
        tracing::Level::DEBUG => 4,
        tracing::Level::TRACE => 5,
    }
}

/// Points the log at `path` with `verbosity` 1 (errors) … 5 (every request and call).
pub fn configure(path: Option<&str>, verbosity: u8) {
    INIT.call_once(|| {
        use tracing_subscriber::prelude::*;
        let layer = tracing_subscriber::fmt::layer()
            .with_writer(|| LogWriter)
            .with_ansi(false)
            .with_target(false)
            .with_filter(
                tracing_subscriber::filter::DynFilterFn::new(|m, _| level_of(m) <= LEVEL.load(Ordering::Relaxed))
                    // Only our own events: dependencies' logs could carry URLs or headers. The
                    // level is decided per event, since a later connection may raise it.
                    .with_callsite_filter(|m| {
                        if m.target().starts_with("bitbucket_odbc") {
                            tracing::subscriber::Interest::sometimes()
                        } else {
                            tracing::subscriber::Interest::never()
                        }
                    }),
            );
        let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer));
    });
    let Some(path) = path.filter(|p| !p.is_empty()) else {
        return;
    };
    let mut guard = FILE.lock();
    if guard.as_ref().map(|(p, _)| p == path).unwrap_or(false) {
        LEVEL.store(verbosity, Ordering::Relaxed);
        return;
    }
    if let Ok(f) = OpenOptions::new().create(true).append(true).open(path) {
        *guard = Some((path.to_string(), f));
        LEVEL.store(verbosity, Ordering::Relaxed);
    }
}
