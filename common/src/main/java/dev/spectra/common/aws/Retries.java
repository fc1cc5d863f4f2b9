package dev.spectra.common.aws;

/** Who retries a failed AWS call. */
public enum Retries {
    /** The SDK's own retry strategy (its default): the gateway's clients, and the delivery worker's S3 uploads. */
    BY_SDK,
    /**
     * The SDK makes one attempt; the caller retries, with the failure classified once ({@link AwsFailureClassifier})
     * and its own backoff and deadline. SDK retries on top would multiply every attempt and hide throttling from
     * the caller's backoff. The workers' DynamoDB and Data API clients.
     */
    BY_CALLER
}
