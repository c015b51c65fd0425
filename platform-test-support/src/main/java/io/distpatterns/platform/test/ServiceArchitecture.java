package io.distpatterns.platform.test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The architecture rules every service checks ({@link PlatformArchitectureRules}), over its main
 * classes. A service's {@code ArchitectureTest} extends this and names its root package.
 */
public abstract class ServiceArchitecture {

    /** The service's root package, for example {@code io.distpatterns.order}. */
    protected abstract String servicePackage();

    private JavaClasses classes() {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(servicePackage());
    }

    @Test
    void domainIsFreeOfWebAndMessaging() {
        PlatformArchitectureRules.domainIsFreeOfWebAndMessaging(servicePackage()).check(classes());
    }

    @Test
    void dependsOnNoOtherService() {
        PlatformArchitectureRules.dependsOnNoOtherService(servicePackage()).check(classes());
    }
}
