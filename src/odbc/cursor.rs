//! An open result set: Arrow batches produced by the engine on the runtime's worker threads
//! and handed over through a short queue, so rows reach the application while later pages
//! are still being fetched, parsed and converted (the application thread only copies values
//! out; reading pages no longer waits for the application to ask for the next row).

use super::error::OdbcError;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::execution::SendableRecordBatchStream;
use futures::{FutureExt, StreamExt};
use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Batches (one per page, normally) the producer may run ahead of the application: enough to
/// keep a page being parsed while the previous one is read, small enough that memory stays
/// flat whatever the size of the result.
const AHEAD: usize = 4;

/// The engine's stream, driven by a task on the runtime.
struct Producer {
    rx: mpsc::Receiver<Result<RecordBatch, OdbcError>>,
    task: JoinHandle<()>,
}

impl Producer {
    fn spawn(mut stream: SendableRecordBatchStream) -> Producer {
        let (tx, rx) = mpsc::channel(AHEAD);
        let task = crate::runtime::get().spawn(async move {
            let run = async {
                while let Some(item) = stream.next().await {
                    let item = item.map_err(|e| OdbcError::Sql(e.into()));
                    let failed = item.is_err();
                    // The cursor was closed: stop reading (dropping the stream stops its requests).
                    if tx.send(item).await.is_err() || failed {
                        return;
                    }
                }
            };
            // A panic while reading must not look like the end of the result: the application
            // gets the same internal-error diagnostic as for a panic on its own thread.
            if let Err(p) = AssertUnwindSafe(run).catch_unwind().await {
                let text = crate::ffi::boundary::panic_text(p);
                let _ = tx.send(Err(OdbcError::Panic(text))).await;
            }
        });
        Producer { rx, task }
    }

    /// The next batch; `None` once the result is complete.
    fn next(&mut self) -> Option<Result<RecordBatch, OdbcError>> {
        crate::runtime::block_on(self.rx.recv())
    }
}

impl Drop for Producer {
    /// Closing the cursor early (SQLCloseCursor, SQLFreeStmt) abandons the rest of the scan.
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub struct Cursor {
    pub schema: SchemaRef,
    stream: Option<Producer>,
    pending: VecDeque<RecordBatch>,
    batch: Option<RecordBatch>,
    row: usize,
    /// Rows handed out so far (SQL_ATTR_ROW_NUMBER).
    pub rows_fetched: usize,
    /// SQLGetData progress on the current row: (column, bytes already returned).
    pub getdata: Option<(u16, usize)>,
    /// An error met while looking ahead, reported by the next `advance`.
    deferred: Option<OdbcError>,
}

impl Cursor {
    pub fn from_stream(schema: SchemaRef, stream: SendableRecordBatchStream) -> Cursor {
        Cursor {
            schema,
            stream: Some(Producer::spawn(stream)),
            pending: VecDeque::new(),
            batch: None,
            row: 0,
            rows_fetched: 0,
            getdata: None,
            deferred: None,
        }
    }

    pub fn from_batches(schema: SchemaRef, batches: Vec<RecordBatch>) -> Cursor {
        Cursor {
            schema,
            stream: None,
            pending: batches.into(),
            batch: None,
            row: 0,
            rows_fetched: 0,
            getdata: None,
            deferred: None,
        }
    }

    /// Pulls the first non-empty batch so that errors and warnings of the first requests
    /// surface at SQLExecute, where applications look for them.
    pub fn prefetch(&mut self) -> Result<(), OdbcError> {
        if !self.pending.is_empty() {
            return Ok(());
        }
        if let Some(s) = self.stream.as_mut() {
            while let Some(r) = s.next() {
                let b = r?;
                if b.num_rows() > 0 {
                    self.pending.push_back(b);
                    return Ok(());
                }
            }
            self.stream = None;
        }
        Ok(())
    }

    /// Moves to the next row; `false` once the result is exhausted.
    pub fn advance(&mut self) -> Result<bool, OdbcError> {
        let more = self.step()?;
        // On a batch's last row, read ahead: warnings raised by the requests that follow
        // (a repository without issue tracker) then reach the application with a row,
        // never only with SQL_NO_DATA. An error waits for the next call.
        if more && self.batch.as_ref().is_some_and(|b| self.row + 1 == b.num_rows()) {
            if let Err(e) = self.prefetch() {
                self.deferred = Some(e);
                self.stream = None;
            }
        }
        Ok(more)
    }

    fn step(&mut self) -> Result<bool, OdbcError> {
        self.getdata = None;
        if let Some(b) = &self.batch {
            if self.row + 1 < b.num_rows() {
                self.row += 1;
                self.rows_fetched += 1;
                return Ok(true);
            }
        }
        if self.pending.is_empty() {
            if let Some(e) = self.deferred.take() {
                return Err(e);
            }
        }
        loop {
            let next = match self.pending.pop_front() {
                Some(b) => Some(b),
                None => match self.stream.as_mut() {
                    Some(s) => match s.next() {
                        Some(r) => Some(r?),
                        None => None,
                    },
                    None => None,
                },
            };
            match next {
                Some(b) if b.num_rows() == 0 => continue,
                Some(b) => {
                    self.batch = Some(b);
                    self.row = 0;
                    self.rows_fetched += 1;
                    return Ok(true);
                }
                None => {
                    self.batch = None;
                    self.stream = None;
                    return Ok(false);
                }
            }
        }
    }

    /// The current row's batch and index, after a successful `advance`.
    pub fn current(&self) -> Option<(&RecordBatch, usize)> {
        self.batch.as_ref().map(|b| (b, self.row))
    }
}
