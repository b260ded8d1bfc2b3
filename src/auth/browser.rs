//! Opens the system browser on a URL: `$BROWSER` first (as xdg-utils reads it), then the
//! platform's opener. On a machine without a display there is no browser to open.

use std::process::{Command, Stdio};

pub fn open(url: &str) -> Result<(), String> {
    if let Ok(list) = std::env::var("BROWSER") {
        for cmd in list.split(':').map(str::trim).filter(|c| !c.is_empty()) {
            match spawn(cmd, url) {
                Ok(()) => return Ok(()),
                Err(e) => tracing::warn!(browser = cmd, "cannot start the browser from $BROWSER: {e}"),
            }
        }
    }
    if cfg!(target_os = "macos") {
        return spawn("open", url).map_err(|e| format!("cannot start the browser with `open`: {e}"));
    }
    if cfg!(windows) {
        return spawn("rundll32 url.dll,FileProtocolHandler", url).map_err(|e| format!("cannot start the browser: {e}"));
    }
    let has_display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()));
    if !has_display {
        return Err(
            "this machine has no display to open a browser on (neither DISPLAY nor WAYLAND_DISPLAY is set, and BROWSER is empty)".into(),
        );
    }
    spawn("xdg-open", url).map_err(|e| format!("cannot start the browser with xdg-open: {e}"))
}

/// `cmd` may carry arguments and a `%s` placeholder; otherwise the URL is the last argument.
fn spawn(cmd: &str, url: &str) -> std::io::Result<()> {
    let mut parts: Vec<String> = cmd.split_whitespace().map(String::from).collect();
    if parts.iter().any(|p| p.contains("%s")) {
        parts = parts.into_iter().map(|p| p.replace("%s", url)).collect();
    } else {
        parts.push(url.to_string());
    }
    let mut child = Command::new(&parts[0])
        .args(&parts[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    // Reap the opener when it exits, without making the connection wait for it.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}
