-- The same changes as Sqlite/Migrations/0021_import_chunks_logs.sql: uploads streamed into user_import_chunks (about 1 MiB a
-- row) under an upload id, the job's current upload_id, and user_import_errors as the job's result log (FAILED and SKIPPED rows
-- with the time their batch committed, Unix ms).
CREATE TABLE user_import_chunks (
    job_id      TEXT COLLATE "C" NOT NULL REFERENCES user_import_jobs (job_id) ON DELETE CASCADE,
    upload_id   TEXT COLLATE "C" NOT NULL,
    seq         INTEGER NOT NULL,
    data        BYTEA   NOT NULL,
    PRIMARY KEY (job_id, upload_id, seq)
);

ALTER TABLE user_import_jobs ADD COLUMN upload_id TEXT COLLATE "C";

ALTER TABLE user_import_errors ADD COLUMN outcome TEXT COLLATE "C" NOT NULL DEFAULT 'FAILED';
ALTER TABLE user_import_errors ADD COLUMN logged_at BIGINT NOT NULL DEFAULT 0;
