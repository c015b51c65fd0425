package io.distpatterns.inventory;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import io.distpatterns.platform.test.PlatformArchitectureRules;

class ArchitectureTest {

    private static final String SERVICE = "io.distpatterns.inventory";

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(SERVICE);

    @Test
    void domainIsFreeOfWebAndMessaging() {
        PlatformArchitectureRules.domainIsFreeOfWebAndMessaging(SERVICE).check(classes);
    }

    @Test
    void dependsOnNoOtherService() {
        PlatformArchitectureRules.dependsOnNoOtherService(SERVICE).check(classes);
    }
}
