package dev.spectra.gateway.tenant;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.spectra.gateway.config.GatewayProperties;
import dev.spectra.gateway.config.TableProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

@Configuration(proxyBeanMethods = false)
public class TenantConfiguration {

    @Bean
    TenantRegistry tenantRegistry(DynamoDbAsyncClient dynamoDb, TableProperties tables, GatewayProperties gateway) {
        return new CachingTenantRegistry(new DynamoDbTenantRegistry(dynamoDb, tables.tenants()),
                gateway.tenantCacheTtl(), Ticker.systemTicker());
    }

    @Bean
    ActiveTenantFilter activeTenantFilter(TenantRegistry tenantRegistry) {
        return new ActiveTenantFilter(tenantRegistry);
    }
}
