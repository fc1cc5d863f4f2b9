package dev.spectra.common.audit;

/**
 * Where a service writes its audit records. Recording never blocks and never fails its caller: the decision it
 * records was already taken.
 */
@FunctionalInterface
public interface AuditTrail {

    void record(AuditRecord record);
}
