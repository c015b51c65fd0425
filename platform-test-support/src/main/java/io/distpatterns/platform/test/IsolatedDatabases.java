package io.distpatterns.platform.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a Spring test class PostgreSQL databases of its own on the {@link TestPostgres} server.
 *
 * <p>The application context gets {@code platform.pg.url/user/password} of the test server and a
 * unique {@code platform.pg.database-suffix}, so the service under test creates its databases
 * (all of them, shards included) on start, as it does in production, under names nobody else
 * uses. When the context closes, every database with that suffix is dropped. Each annotated class
 * gets its own context and its own databases.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface IsolatedDatabases {
}
