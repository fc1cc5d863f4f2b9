package dev.spectra.local.dataapi;

/** ListStatements' input members, as sent; absent members are null. */
record ListStatementsRequest(
        Integer maxResults,
        String nextToken,
        String status,
        String statementName,
        Boolean roleLevel,
        String database,
        String clusterIdentifier,
        String workgroupName) {}
