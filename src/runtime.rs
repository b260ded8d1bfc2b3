//! The one tokio runtime of the process: created with the first environment handle, shared
//! by every connection; FFI threads block on it (never nested).

use std::future::Future;
use std::sync::OnceLock;

static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();

pub fn get() -> &'static tokio::runtime::Runtime {
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("bitbucket-odbc")
            .on_thread_start(crate::ffi::boundary::mark_driver_thread)
            .enable_all()
            .build()
            .expect("tokio runtime cannot be created")
    })
}

/// Runs a future to completion from a driver-manager thread.
pub fn block_on<F: Future>(fut: F) -> F::Output {
    get().block_on(fut)
}
