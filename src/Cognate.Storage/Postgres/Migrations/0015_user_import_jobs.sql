-- The same tables as Sqlite/Migrations/0015_user_import_jobs.sql: user import jobs (with the uploaded CSV until the job ends and
-- the worker lease) and the rows each job refused.
CREATE TABLE user_import_jobs (
    job_id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    user_pool_id        TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    job_name            TEXT    NOT NULL,
    status              TEXT COLLATE "C" NOT NULL,
    role_arn            TEXT    NOT NULL,
    created_at          BIGINT  NOT NULL,
    started_at          BIGINT,
    completed_at        BIGINT,
    completion_message  TEXT,
    imported_users      BIGINT  NOT NULL DEFAULT 0,
    skipped_users       BIGINT  NOT NULL DEFAULT 0,
    failed_users        BIGINT  NOT NULL DEFAULT 0,
    upload_expires_at   BIGINT  NOT NULL,
    csv                 BYTEA,
    csv_bytes           BIGINT,
    upload_error        TEXT,
    next_row            BIGINT  NOT NULL DEFAULT 0,
    stored_errors       BIGINT  NOT NULL DEFAULT 0,
    lease_owner         TEXT,
    lease_until         BIGINT
);

CREATE INDEX user_import_jobs_pool ON user_import_jobs (user_pool_id, created_at);
CREATE INDEX user_import_jobs_runnable ON user_import_jobs (status, lease_until);

CREATE TABLE user_import_errors (
    job_id      TEXT COLLATE "C" NOT NULL REFERENCES user_import_jobs (job_id) ON DELETE CASCADE,
    row_number  BIGINT  NOT NULL,
    username    TEXT,
    message     TEXT    NOT NULL,
    PRIMARY KEY (job_id, row_number)
);
