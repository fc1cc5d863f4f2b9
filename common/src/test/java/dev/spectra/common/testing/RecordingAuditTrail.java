package dev.spectra.common.testing;

import dev.spectra.common.audit.AuditRecord;
import dev.spectra.common.audit.AuditTrail;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An audit trail that keeps what it is given, for tests to read. */
public final class RecordingAuditTrail implements AuditTrail {

    private final List<AuditRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditRecord record) {
        records.add(record);
    }

    public List<AuditRecord> records() {
        return List.copyOf(records);
    }

    public List<AuditRecord> records(AuditRecord.Decision decision) {
        return records.stream().filter(record -> record.decision() == decision).toList();
    }

    public void reset() {
        records.clear();
    }
}
