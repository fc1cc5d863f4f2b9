package dev.spectra.common.aws;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * In a pod with IAM roles for service accounts, the services' credentials come from the projected web identity
 * token, exchanged with STS: the default chain needs the {@code sts} module for that, and would otherwise fall
 * through to the node's instance role. An HTTP server stands in for STS; the chain is pointed at it through the
 * SDK's system properties, the equivalents of the variables EKS sets ({@code AWS_WEB_IDENTITY_TOKEN_FILE},
 * {@code AWS_ROLE_ARN}) and of {@code AWS_ENDPOINT_URL_STS}.
 */
class WebIdentityCredentialsTest {

    private static final List<String> PROPERTIES = List.of(
            "aws.webIdentityTokenFile", "aws.roleArn", "aws.roleSessionName", "aws.region", "aws.endpointUrlSts");
    private static final String ROLE = "arn:aws:iam::123456789012:role/spectra-query-worker";

    private final Map<String, String> saved = new HashMap<>();
    private final AtomicReference<String> request = new AtomicReference<>();
    private HttpServer sts;

    @BeforeEach
    void startSts() throws IOException {
        assumeThat(System.getenv("AWS_ACCESS_KEY_ID")).as("credentials in the environment come first in the chain").isNull();
        PROPERTIES.forEach(name -> saved.put(name, System.getProperty(name)));
        sts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sts.createContext("/", exchange -> {
            request.set(URLDecoder.decode(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            byte[] body = """
                    <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                      <AssumeRoleWithWebIdentityResult>
                        <Credentials>
                          <AccessKeyId>ASIAWEBIDENTITY</AccessKeyId>
                          <SecretAccessKey>web-identity-secret</SecretAccessKey>
                          <SessionToken>web-identity-session</SessionToken>
                          <Expiration>2099-01-01T00:00:00Z</Expiration>
                        </Credentials>
                        <AssumedRoleUser>
                          <Arn>arn:aws:sts::123456789012:assumed-role/spectra-query-worker/pod</Arn>
                          <AssumedRoleId>AROAEXAMPLE:pod</AssumedRoleId>
                        </AssumedRoleUser>
                      </AssumeRoleWithWebIdentityResult>
                      <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>
                    </AssumeRoleWithWebIdentityResponse>""".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        sts.start();
    }

    @AfterEach
    void restore() {
        if (sts != null) {
            sts.stop(0);
        }
        saved.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }

    @Test
    void exchangesThePodsWebIdentityTokenForTheRolesCredentials(@TempDir Path directory) throws IOException {
        Path token = Files.writeString(directory.resolve("token"), "eyJ.projected.service-account-token");
        System.setProperty("aws.webIdentityTokenFile", token.toString());
        System.setProperty("aws.roleArn", ROLE);
        System.setProperty("aws.roleSessionName", "pod");
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.endpointUrlSts", "http://127.0.0.1:" + sts.getAddress().getPort());

        try (AwsClients aws = AwsClients.create(new AwsProperties("us-east-1", null, false, null, null), new SimpleMeterRegistry())) {
            AwsCredentials credentials = aws.credentials().resolveCredentials();

            assertThat(credentials).isInstanceOf(AwsSessionCredentials.class);
            assertThat(credentials.accessKeyId()).isEqualTo("ASIAWEBIDENTITY");
            assertThat(((AwsSessionCredentials) credentials).sessionToken()).isEqualTo("web-identity-session");
        }
        assertThat(request.get()).contains("Action=AssumeRoleWithWebIdentity", "RoleArn=" + ROLE,
                "WebIdentityToken=eyJ.projected.service-account-token");
    }
}
