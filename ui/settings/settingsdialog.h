#pragma once

#include "config/appconfig.h"
#include "config/configerror.h"

#include <QDialog>
#include <QString>

#include <optional>
#include <vector>

class QLabel;
class QTabWidget;

namespace breakwater {

class ApiKeyEditor;
struct ConfigKey;

// Edits the app's configuration: the service, retry, circuit breaker, health checks, load and
// logging. Every field is named after its config key. OK checks the edited config with the core's
// own checks (each key's type and range, then the rules across keys) and stays open on a problem,
// naming the key above the fields; nothing typed is lost. The API key is entered masked and never
// shown (ApiKeyEditor). Applying the result is the caller's job (it restarts the pipeline).
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    explicit SettingsDialog(const AppConfig& config, QWidget* parent = nullptr);
    ~SettingsDialog() override;

    // The config as last accepted: the one given until OK succeeds, then the edited one.
    AppConfig config() const;

    // Replaces the note under the fields (by default: applying restarts the pipeline).
    void setApplyNote(const QString& note);

    // The problem shown above the fields; empty when there is none.
    QString errorText() const;

    void accept() override;

private:
    struct Field
    {
        const ConfigKey* key;
        QWidget* editor;
        QWidget* page;
        QString label;
        bool readOnly;
    };

    void buildPages(QTabWidget* tabs);
    QWidget* buildPage(int pageIndex);
    // The edited config, or the first problem with it.
    std::optional<ConfigError> collect(AppConfig& edited) const;
    void showError(const ConfigError& error);
    void clearError();
    void saveToFile();

    AppConfig m_config;
    std::vector<Field> m_fields;
    ApiKeyEditor* m_apiKey = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_error = nullptr;
    QLabel* m_applyNote = nullptr;
    QLabel* m_saveStatus = nullptr;
};

} // namespace breakwater
