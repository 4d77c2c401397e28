#include "config/configloader.h"
#include "config/configprinter.h"
#include "config/configschema.h"
#include "settings/configfilewriter.h"
#include "settings/settingsdialog.h"
#include "settings/settingspages.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

namespace breakwater {

namespace {

const QString kSecret = QStringLiteral("sk-test-SECRET-123");

AppConfig configWithKey(const QString& key)
{
    AppConfig config;
    config.elevenlabs.apiKey = key;
    return config;
}

// Every piece of text a widget tree can show or announce.
QStringList shownTexts(const QWidget* root)
{
    QList<const QWidget*> widgets{root};
    for (const QWidget* child : root->findChildren<QWidget*>())
        widgets.append(child);
    QStringList texts;
    for (const QWidget* widget : widgets) {
        texts << widget->windowTitle() << widget->toolTip() << widget->statusTip()
              << widget->whatsThis() << widget->accessibleName() << widget->accessibleDescription();
        if (const auto* line = qobject_cast<const QLineEdit*>(widget))
            texts << line->text() << line->displayText() << line->placeholderText();
        if (const auto* label = qobject_cast<const QLabel*>(widget))
            texts << label->text();
        if (const auto* button = qobject_cast<const QAbstractButton*>(widget))
            texts << button->text();
        if (const auto* box = qobject_cast<const QGroupBox*>(widget))
            texts << box->title();
        if (const auto* combo = qobject_cast<const QComboBox*>(widget)) {
            for (int i = 0; i < combo->count(); ++i)
                texts << combo->itemText(i) << combo->itemData(i).toString();
        }
        if (const auto* tabs = qobject_cast<const QTabWidget*>(widget)) {
            for (int i = 0; i < tabs->count(); ++i)
                texts << tabs->tabText(i) << tabs->tabToolTip(i);
        }
    }
    return texts;
}

// Whether any shown text holds the secret; says where for the failure message, without it.
QString findSecret(const QWidget* root, const QString& secret)
{
    const QStringList texts = shownTexts(root);
    for (qsizetype i = 0; i < texts.size(); ++i) {
        if (texts.at(i).contains(secret))
            return QStringLiteral("text #%1 holds the secret").arg(i);
    }
    return {};
}

template <typename Widget> Widget* field(const SettingsDialog& dialog, const QString& path)
{
    return dialog.findChild<Widget*>(path);
}

void type(QLineEdit* line, const QString& text)
{
    line->selectAll();
    line->del();
    QTest::keyClicks(line, text);
}

void clickOk(SettingsDialog& dialog)
{
    auto* buttons = dialog.findChild<QDialogButtonBox*>();
    QVERIFY(buttons);
    QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);
}

} // namespace

class SettingsDialogTest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyListedKeyHasAFieldNamedAfterIt();
    void unchangedOkKeepsTheConfig();
    void typedValuesReachTheConfig_data();
    void typedValuesReachTheConfig();
    void choicesAndSwitchesReachTheConfig();
    void badValueKeepsTheDialogOpenAndNamesTheKey_data();
    void badValueKeepsTheDialogOpenAndNamesTheKey();
    void cancelKeepsTheConfig();
    void logDirectoryIsReadOnly();
    void applyNoteCanBeReplaced();
    void apiKeyIsNeverShown();
    void typedApiKeyReplacesIt();
    void emptyApiKeyFieldKeepsIt();
    void clearKeyRemovesIt();
    void withNoKeyThereIsNothingToClear();
    void maskAsKeyIsRefusedWithoutQuotingIt();
    void savedFileHoldsNoSecretAndLoadsBack();
};

void SettingsDialogTest::everyListedKeyHasAFieldNamedAfterIt()
{
    SettingsDialog dialog{AppConfig{}};
    for (const SettingsPage& page : settingsPages()) {
        for (const SettingsGroup& group : page.groups) {
            for (const SettingsEntry& entry : group.entries) {
                QVERIFY2(findConfigKey(entry.path), qPrintable(entry.path));
                QVERIFY2(dialog.findChild<QWidget*>(entry.path), qPrintable(entry.path));
            }
        }
    }
    // The keys the task names, checked by hand so a page cannot silently drop one.
    for (const char* path : {"services.elevenlabs.base_url",
                             "services.elevenlabs.api_key",
                             "services.elevenlabs.voice_id",
                             "services.elevenlabs.timeout_ms",
                             "retry.max_retries",
                             "retry.base_delay_ms",
                             "retry.max_delay_ms",
                             "retry.backoff",
                             "breaker.failure_rate_threshold",
                             "breaker.slow_call_rate_threshold",
                             "breaker.slow_call_duration_ms",
                             "breaker.window",
                             "breaker.window_size",
                             "breaker.minimum_calls",
                             "breaker.consecutive_failures",
                             "breaker.open_wait_ms",
                             "breaker.half_open_permits",
                             "health.interval_ms",
                             "load.calls_per_second",
                             "logging.level",
                             "logging.dir"})
        QVERIFY2(dialog.findChild<QWidget*>(QLatin1StringView(path)), path);
}

void SettingsDialogTest::unchangedOkKeepsTheConfig()
{
    AppConfig original = configWithKey(kSecret);
    original.breaker.failureRateThreshold = 12.5;
    original.retry.backoff.multiplier = 1.5;
    original.load.callsPerSecond = 0.25;
    SettingsDialog dialog{original};
    dialog.show();
    clickOk(dialog);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(printConfig(dialog.config()), printConfig(original));
    QCOMPARE(dialog.config().elevenlabs.apiKey, kSecret);
}

void SettingsDialogTest::typedValuesReachTheConfig_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QJsonValue>("expected");
    QTest::addRow("base url") << QStringLiteral("services.elevenlabs.base_url")
                              << QStringLiteral("https://api.elevenlabs.io")
                              << QJsonValue(QStringLiteral("https://api.elevenlabs.io"));
    QTest::addRow("voice") << QStringLiteral("services.elevenlabs.voice_id")
                           << QStringLiteral("voice-42") << QJsonValue(QStringLiteral("voice-42"));
    QTest::addRow("timeout") << QStringLiteral("services.elevenlabs.timeout_ms")
                             << QStringLiteral("2500") << QJsonValue(2500);
    QTest::addRow("retries") << QStringLiteral("retry.max_retries") << QStringLiteral("5")
                             << QJsonValue(5);
    QTest::addRow("base delay") << QStringLiteral("retry.base_delay_ms") << QStringLiteral("50")
                                << QJsonValue(50);
    QTest::addRow("max delay") << QStringLiteral("retry.max_delay_ms") << QStringLiteral("20000")
                               << QJsonValue(20000);
    QTest::addRow("budget ratio") << QStringLiteral("retry.budget.token_ratio")
                                  << QStringLiteral("0.25") << QJsonValue(0.25);
    QTest::addRow("failure rate") << QStringLiteral("breaker.failure_rate_threshold")
                                  << QStringLiteral("65.5") << QJsonValue(65.5);
    QTest::addRow("consecutive") << QStringLiteral("breaker.consecutive_failures")
                                 << QStringLiteral("7") << QJsonValue(7);
    QTest::addRow("slow rate") << QStringLiteral("breaker.slow_call_rate_threshold")
                               << QStringLiteral("30") << QJsonValue(30);
    QTest::addRow("minimum calls")
        << QStringLiteral("breaker.minimum_calls") << QStringLiteral("4") << QJsonValue(4);
    QTest::addRow("open wait") << QStringLiteral("breaker.open_wait_ms") << QStringLiteral("1500")
                               << QJsonValue(1500);
    QTest::addRow("permits") << QStringLiteral("breaker.half_open_permits") << QStringLiteral("5")
                             << QJsonValue(5);
    QTest::addRow("health interval")
        << QStringLiteral("health.interval_ms") << QStringLiteral("750") << QJsonValue(750);
    QTest::addRow("calls per second")
        << QStringLiteral("load.calls_per_second") << QStringLiteral("12.5") << QJsonValue(12.5);
    QTest::addRow("spaces around")
        << QStringLiteral("pipeline.max_in_flight") << QStringLiteral(" 32 ") << QJsonValue(32);
}

void SettingsDialogTest::typedValuesReachTheConfig()
{
    QFETCH(QString, path);
    QFETCH(QString, typed);
    QFETCH(QJsonValue, expected);
    SettingsDialog dialog{AppConfig{}};
    dialog.show();
    auto* line = field<QLineEdit>(dialog, path);
    QVERIFY(line);
    type(line, typed);
    clickOk(dialog);
    QVERIFY2(dialog.errorText().isEmpty(), qPrintable(dialog.errorText()));
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(findConfigKey(path)->read(dialog.config()), expected);
}

void SettingsDialogTest::choicesAndSwitchesReachTheConfig()
{
    SettingsDialog dialog{AppConfig{}};
    dialog.show();
    auto* backoff = field<QComboBox>(dialog, QStringLiteral("retry.backoff"));
    auto* window = field<QComboBox>(dialog, QStringLiteral("breaker.window"));
    auto* level = field<QComboBox>(dialog, QStringLiteral("logging.level"));
    auto* close = field<QCheckBox>(dialog, QStringLiteral("health.close_on_success"));
    QVERIFY(backoff && window && level && close);
    QCOMPARE(backoff->currentData().toString(), QStringLiteral("equal_jitter"));
    backoff->setCurrentIndex(backoff->findData(QStringLiteral("decorrelated_jitter")));
    window->setCurrentIndex(window->findData(QStringLiteral("time")));
    level->setCurrentIndex(level->findData(QStringLiteral("debug")));
    QVERIFY(!close->isChecked());
    close->click();
    clickOk(dialog);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const AppConfig config = dialog.config();
    QCOMPARE(config.retry.backoff.kind, BackoffKind::DecorrelatedJitter);
    QCOMPARE(config.breaker.windowKind, WindowKind::Time);
    QCOMPARE(config.logging.level, EventLevel::Debug);
    QVERIFY(config.health.closeOnSuccess);
}

void SettingsDialogTest::badValueKeepsTheDialogOpenAndNamesTheKey_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("typed");
    QTest::addRow("rate above 100")
        << QStringLiteral("breaker.failure_rate_threshold") << QStringLiteral("150");
    QTest::addRow("too many retries")
        << QStringLiteral("retry.max_retries") << QStringLiteral("50");
    QTest::addRow("integer with a fraction")
        << QStringLiteral("breaker.window_size") << QStringLiteral("10.5");
    QTest::addRow("not a number") << QStringLiteral("services.elevenlabs.timeout_ms")
                                  << QStringLiteral("soon");
    QTest::addRow("emptied number") << QStringLiteral("health.interval_ms") << QString();
    QTest::addRow("multiplier below 1")
        << QStringLiteral("retry.multiplier") << QStringLiteral("0.5");
    QTest::addRow("negative load")
        << QStringLiteral("load.calls_per_second") << QStringLiteral("-1");
    QTest::addRow("not http") << QStringLiteral("services.elevenlabs.base_url")
                              << QStringLiteral("ftp://example.com");
    QTest::addRow("password in url") << QStringLiteral("services.elevenlabs.base_url")
                                     << QStringLiteral("https://user:pw@example.com");
    QTest::addRow("empty voice") << QStringLiteral("services.elevenlabs.voice_id") << QString();
    // Rules across keys, from the core's validators.
    QTest::addRow("minimum above window")
        << QStringLiteral("breaker.minimum_calls") << QStringLiteral("30");
    QTest::addRow("cap below base") << QStringLiteral("retry.max_delay_ms") << QStringLiteral("10");
    QTest::addRow("successes above permits")
        << QStringLiteral("breaker.half_open_successes") << QStringLiteral("4");
}

void SettingsDialogTest::badValueKeepsTheDialogOpenAndNamesTheKey()
{
    QFETCH(QString, path);
    QFETCH(QString, typed);
    const AppConfig original = configWithKey(kSecret);
    SettingsDialog dialog{original};
    dialog.show();
    // An edit elsewhere that must survive the refusal.
    auto* voice = field<QLineEdit>(dialog, QStringLiteral("services.elevenlabs.voice_id"));
    if (path != voice->objectName())
        type(voice, QStringLiteral("kept-voice"));
    auto* line = field<QLineEdit>(dialog, path);
    QVERIFY(line);
    type(line, typed);

    clickOk(dialog);

    QVERIFY(dialog.isVisible());
    QVERIFY(dialog.result() != QDialog::Accepted);
    const QString error = dialog.errorText();
    QVERIFY2(error.startsWith(path + QLatin1StringView(": ")), qPrintable(error));
    auto* banner = dialog.findChild<QLabel*>(QStringLiteral("settingsError"));
    QVERIFY(banner && banner->isVisible());
    QCOMPARE(banner->text(), error);
    // The page holding the field is the one shown.
    QVERIFY(dialog.findChild<QTabWidget*>()->currentWidget()->isAncestorOf(line));
    QCOMPARE(line->text(), typed);
    if (path != voice->objectName())
        QCOMPARE(voice->text(), QStringLiteral("kept-voice"));
    QCOMPARE(printConfig(dialog.config()), printConfig(original));
    QVERIFY2(findSecret(&dialog, kSecret).isEmpty(), "the error shows the API key");

    // Fixed, the same dialog accepts.
    const QJsonValue good = findConfigKey(path)->read(original);
    type(line, good.isString() ? good.toString() : QString::number(good.toDouble()));
    clickOk(dialog);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QVERIFY(dialog.errorText().isEmpty());
}

void SettingsDialogTest::cancelKeepsTheConfig()
{
    const AppConfig original;
    SettingsDialog dialog{original};
    dialog.show();
    type(field<QLineEdit>(dialog, QStringLiteral("breaker.window_size")), QStringLiteral("40"));
    auto* buttons = dialog.findChild<QDialogButtonBox*>();
    QTest::mouseClick(buttons->button(QDialogButtonBox::Cancel), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QCOMPARE(printConfig(dialog.config()), printConfig(original));
}

void SettingsDialogTest::logDirectoryIsReadOnly()
{
    AppConfig original;
    original.logging.dir = QStringLiteral("/var/log/breakwater");
    SettingsDialog dialog{original};
    auto* dir = field<QLineEdit>(dialog, QStringLiteral("logging.dir"));
    QVERIFY(dir);
    QVERIFY(dir->isReadOnly());
    QCOMPARE(dir->text(), original.logging.dir);
    dialog.show();
    clickOk(dialog);
    QCOMPARE(dialog.config().logging.dir, original.logging.dir);
}

void SettingsDialogTest::applyNoteCanBeReplaced()
{
    SettingsDialog dialog{AppConfig{}};
    auto* note = dialog.findChild<QLabel*>(QStringLiteral("applyNote"));
    QVERIFY(note);
    QVERIFY(note->text().contains(QLatin1StringView("restarts the pipeline")));
    dialog.setApplyNote(QStringLiteral("Applying restarts the runtime."));
    QCOMPARE(note->text(), QStringLiteral("Applying restarts the runtime."));
}

void SettingsDialogTest::apiKeyIsNeverShown()
{
    SettingsDialog dialog{configWithKey(kSecret)};
    dialog.show();
    auto* key = field<QLineEdit>(dialog, QStringLiteral("services.elevenlabs.api_key"));
    QVERIFY(key);
    QCOMPARE(key->echoMode(), QLineEdit::Password);
    QVERIFY(key->text().isEmpty());
    QCOMPARE(key->placeholderText(), QStringLiteral("A key is set; type a new one to replace it"));
    QVERIFY(!shownTexts(&dialog).isEmpty());
    QVERIFY2(findSecret(&dialog, kSecret).isEmpty(), "the dialog shows the API key");
    // Nor after a refused OK, nor on any page.
    type(field<QLineEdit>(dialog, QStringLiteral("breaker.window_size")), QStringLiteral("0"));
    clickOk(dialog);
    QVERIFY(!dialog.errorText().isEmpty());
    auto* tabs = dialog.findChild<QTabWidget*>();
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        QVERIFY2(findSecret(&dialog, kSecret).isEmpty(), "a page shows the API key");
    }
}

void SettingsDialogTest::typedApiKeyReplacesIt()
{
    SettingsDialog dialog{configWithKey(kSecret)};
    dialog.show();
    type(field<QLineEdit>(dialog, QStringLiteral("services.elevenlabs.api_key")),
         QStringLiteral("sk-new-456"));
    clickOk(dialog);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.config().elevenlabs.apiKey, QStringLiteral("sk-new-456"));
}

void SettingsDialogTest::emptyApiKeyFieldKeepsIt()
{
    SettingsDialog dialog{configWithKey(kSecret)};
    dialog.show();
    type(field<QLineEdit>(dialog, QStringLiteral("services.elevenlabs.api_key")), QString());
    clickOk(dialog);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.config().elevenlabs.apiKey, kSecret);
}

void SettingsDialogTest::clearKeyRemovesIt()
{
    SettingsDialog dialog{configWithKey(kSecret)};
    dialog.show();
    auto* clear = field<QCheckBox>(dialog, QStringLiteral("clearApiKey"));
    auto* key = field<QLineEdit>(dialog, QStringLiteral("services.elevenlabs.api_key"));
    QVERIFY(clear && clear->isEnabled());
    QTest::keyClicks(key, QStringLiteral("typed-then-cleared"));
    clear->click();
    QVERIFY(clear->isChecked());
    QVERIFY(key->text().isEmpty());
    QVERIFY(!key->isEnabled());
    clickOk(dialog);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QVERIFY(dialog.config().elevenlabs.apiKey.isEmpty());
}

void SettingsDialogTest::withNoKeyThereIsNothingToClear()
{
    SettingsDialog dialog{AppConfig{}};
    auto* clear = field<QCheckBox>(dialog, QStringLiteral("clearApiKey"));
    auto* key = field<QLineEdit>(dialog, QStringLiteral("services.elevenlabs.api_key"));
    QVERIFY(clear && key);
    QVERIFY(!clear->isEnabled());
    QVERIFY(key->placeholderText().startsWith(QLatin1StringView("No key set")));
    dialog.show();
    clickOk(dialog);
    QVERIFY(dialog.config().elevenlabs.apiKey.isEmpty());
}

void SettingsDialogTest::maskAsKeyIsRefusedWithoutQuotingIt()
{
    SettingsDialog dialog{configWithKey(kSecret)};
    dialog.show();
    type(field<QLineEdit>(dialog, QStringLiteral("services.elevenlabs.api_key")),
         QString(kMaskedSecret));
    clickOk(dialog);
    QVERIFY(dialog.result() != QDialog::Accepted);
    QVERIFY(dialog.errorText().startsWith(QLatin1StringView("services.elevenlabs.api_key: ")));
    QVERIFY(!dialog.errorText().contains(kMaskedSecret));
    QCOMPARE(dialog.config().elevenlabs.apiKey, kSecret);
}

void SettingsDialogTest::savedFileHoldsNoSecretAndLoadsBack()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString path = directory.filePath(QStringLiteral("settings.json"));
    AppConfig config = configWithKey(kSecret);
    config.breaker.failureRateThreshold = 35;
    config.retry.backoff.kind = BackoffKind::FullJitter;
    QCOMPARE(writeConfigFileWithoutSecrets(config, path), QString());

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray written = file.readAll();
    QVERIFY(!written.contains(kSecret.toUtf8()));
    QVERIFY(!written.contains(QByteArray(kMaskedSecret.data(), kMaskedSecret.size())));

    QProcessEnvironment environment;
    environment.insert(QString(kApiKeyEnvironmentVariable), QStringLiteral("from-environment"));
    const ConfigLoad load = loadConfigFile(path, environment);
    QVERIFY2(load.ok(), qPrintable(load.error ? load.error->text() : QString()));
    QCOMPARE(load.config.elevenlabs.apiKey, QStringLiteral("from-environment"));
    // Every other key came back as it was (printConfig masks both keys alike).
    QCOMPARE(printConfig(load.config), printConfig(config));

    const ConfigLoad withoutEnvironment = loadConfigFile(path, QProcessEnvironment());
    QVERIFY(withoutEnvironment.ok());
    QVERIFY(withoutEnvironment.config.elevenlabs.apiKey.isEmpty());
}

} // namespace breakwater

QTEST_MAIN(breakwater::SettingsDialogTest)
#include "tst_settingsdialog.moc"
