//! HTTP only: the Bitbucket REST client, its errors, and pagination.

pub mod client;
pub mod error;
pub mod paginate;
mod write;

pub use client::Client;
pub use error::ApiError;
