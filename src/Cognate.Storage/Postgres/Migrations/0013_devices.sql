-- Remembered devices (issue 16), the same table as Sqlite/Migrations/0013_devices.sql: salt and the sealed device SRP verifier
-- (associated data 'device:{pool}/{device_key}') are null until ConfirmDevice; the row goes with its user. Unix milliseconds, UTC.
CREATE TABLE devices (
    user_pool_id       TEXT COLLATE "C" NOT NULL,
    device_key         TEXT COLLATE "C" NOT NULL,
    username           TEXT COLLATE "C" NOT NULL,
    device_group_key   TEXT    NOT NULL,
    salt               BYTEA,
    verifier_sealed    BYTEA,
    status             TEXT    NOT NULL,
    name               TEXT,
    last_ip            TEXT,
    created_at         BIGINT  NOT NULL,
    modified_at        BIGINT  NOT NULL,
    last_authenticated BIGINT  NOT NULL,
    PRIMARY KEY (user_pool_id, device_key),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);
CREATE INDEX ix_devices_user ON devices (user_pool_id, username, created_at);
