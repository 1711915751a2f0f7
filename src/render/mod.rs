//! Values -> bytes. No decisions here: what to show was decided upstream.

pub mod csv;
