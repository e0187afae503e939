-- User import uploads are streamed into the database in chunks (about 1 MiB a row, seq from 0) under an upload id; the job's
-- upload_id names the upload that completed last while the job was Created (the file the worker spools). Chunks of an unfinished
-- or replaced upload are deleted by the upload itself, and every chunk of a job when it ends or its pool goes. The csv column of
-- 0015 is no longer written.
-- user_import_errors becomes the job's CloudWatch-style result log: FAILED and SKIPPED rows (outcome), each with the time its
-- batch committed (logged_at, Unix ms); row_number stays the 1-based data row (the log's "Line Number" is row_number + 1, the
-- header being line 1).
CREATE TABLE user_import_chunks (
    job_id      TEXT    NOT NULL REFERENCES user_import_jobs (job_id) ON DELETE CASCADE,
    upload_id   TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    data        BLOB    NOT NULL,
    PRIMARY KEY (job_id, upload_id, seq)
);

ALTER TABLE user_import_jobs ADD COLUMN upload_id TEXT;

ALTER TABLE user_import_errors ADD COLUMN outcome TEXT NOT NULL DEFAULT 'FAILED';
ALTER TABLE user_import_errors ADD COLUMN logged_at INTEGER NOT NULL DEFAULT 0;
