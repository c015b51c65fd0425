package io.distpatterns.platform.consumer;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import io.distpatterns.platform.test.PlatformArchitectureRules;

class ArchitectureTest {

    @Test
    void dependsOnNoService() {
        PlatformArchitectureRules.sharedLibrariesDependOnNoService().check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.distpatterns.platform.consumer"));
    }
}
