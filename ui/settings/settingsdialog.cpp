#include "settingsdialog.h"

#include "apikeyeditor.h"
#include "config/configschema.h"
#include "config/configvalidation.h"
#include "configfieldeditor.h"
#include "configfilewriter.h"
#include "settingspages.h"
#include "theme/statuscolors.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace breakwater {

namespace {

constexpr QStringView kApiKeyPath = u"services.elevenlabs.api_key";
constexpr QLatin1StringView kBaseUrlPath("services.elevenlabs.base_url");

QLabel* makeNote(const QString& name, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(name);
    // Messages quote config keys and paths: never let them be read as markup.
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    return label;
}

} // namespace

SettingsDialog::SettingsDialog(const AppConfig& config, QWidget* parent)
    : QDialog(parent)
    , m_config(config)
{
    setWindowTitle(QStringLiteral("Settings"));

    m_error = makeNote(QStringLiteral("settingsError"), this);
    m_error->hide();
    m_tabs = new QTabWidget(this);
    buildPages(m_tabs);
    m_applyNote = makeNote(QStringLiteral("applyNote"), this);
    m_applyNote->setText(
        QStringLiteral("Applying these settings restarts the pipeline with them."));
    m_saveStatus = makeNote(QStringLiteral("saveStatus"), this);
    m_saveStatus->hide();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    QPushButton* save =
        buttons->addButton(QStringLiteral("Save to file…"), QDialogButtonBox::ActionRole);
    save->setObjectName(QStringLiteral("saveToFile"));
    save->setToolTip(QStringLiteral("Write these settings as a JSON config file, without the "
                                    "API key"));
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(save, &QPushButton::clicked, this, &SettingsDialog::saveToFile);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_error);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_applyNote);
    layout->addWidget(m_saveStatus);
    layout->addWidget(buttons);
}

SettingsDialog::~SettingsDialog() = default;

AppConfig SettingsDialog::config() const
{
    return m_config;
}

void SettingsDialog::setApplyNote(const QString& note)
{
    m_applyNote->setText(note);
    m_applyNote->setVisible(!note.isEmpty());
}

QString SettingsDialog::errorText() const
{
    return m_error->text();
}

void SettingsDialog::accept()
{
    AppConfig edited = m_config;
    if (const std::optional<ConfigError> error = collect(edited)) {
        showError(*error);
        return;
    }
    clearError();
    m_config = std::move(edited);
    QDialog::accept();
}

void SettingsDialog::buildPages(QTabWidget* tabs)
{
    const auto& pages = settingsPages();
    for (int i = 0; i < static_cast<int>(pages.size()); ++i)
        tabs->addTab(buildPage(i), pages[static_cast<std::size_t>(i)].title);
}

QWidget* SettingsDialog::buildPage(int pageIndex)
{
    const SettingsPage& spec = settingsPages()[static_cast<std::size_t>(pageIndex)];
    auto* page = new QWidget(this);
    auto* pageLayout = new QVBoxLayout(page);
    for (const SettingsGroup& group : spec.groups) {
        auto* box = new QGroupBox(group.title, page);
        auto* form = new QFormLayout(box);
        for (const SettingsEntry& entry : group.entries) {
            const ConfigKey* key = findConfigKey(entry.path);
            Q_ASSERT_X(key, "SettingsDialog", "settingsPages() names a key the core lacks");
            if (!key)
                continue;
            if (entry.path == kApiKeyPath) {
                m_apiKey = new ApiKeyEditor(!m_config.elevenlabs.apiKey.isEmpty(), box);
                form->addRow(formLabel(entry), m_apiKey);
                continue;
            }
            QWidget* editor = createConfigFieldEditor(*key, entry.label, box);
            showConfigValue(editor, *key, key->read(m_config));
            if (auto* line = qobject_cast<QLineEdit*>(editor)) {
                line->setReadOnly(entry.readOnly);
                if (entry.path == kBaseUrlPath)
                    line->setPlaceholderText(
                        QStringLiteral("Empty: the embedded simulator on 127.0.0.1"));
            } else {
                editor->setEnabled(!entry.readOnly);
            }
            if (key->type == ConfigType::Boolean)
                form->addRow(editor);
            else
                form->addRow(formLabel(entry), editor);
            m_fields.push_back({key, editor, page, entry.label, entry.readOnly});
        }
        pageLayout->addWidget(box);
    }
    pageLayout->addStretch(1);
    return page;
}

std::optional<ConfigError> SettingsDialog::collect(AppConfig& edited) const
{
    for (const Field& field : m_fields) {
        if (field.readOnly)
            continue;
        const EditedValue edit = editedConfigValue(field.editor, *field.key);
        if (!edit.problem.isEmpty())
            return ConfigError{field.key->path, edit.problem};
        if (QString problem = checkConfigValue(*field.key, edit.value); !problem.isEmpty())
            return ConfigError{field.key->path, problem};
        if (QString problem = field.key->write(edited, edit.value); !problem.isEmpty())
            return ConfigError{field.key->path, problem};
    }
    const ConfigKey* apiKey = findConfigKey(kApiKeyPath);
    if (const std::optional<QString> key = m_apiKey ? m_apiKey->editedKey() : std::nullopt;
        key && apiKey) {
        // The core's messages about a secret never quote it.
        if (QString problem = checkConfigValue(*apiKey, *key); !problem.isEmpty())
            return ConfigError{apiKey->path, problem};
        if (QString problem = apiKey->write(edited, *key); !problem.isEmpty())
            return ConfigError{apiKey->path, problem};
    }
    return checkConfigCombinations(edited);
}

void SettingsDialog::showError(const ConfigError& error)
{
    QString text = error.text();
    QWidget* focus = nullptr;
    if (error.key == kApiKeyPath && m_apiKey) {
        focus = m_apiKey->keyField();
    } else {
        for (const Field& field : m_fields) {
            if (field.key->path != error.key)
                continue;
            text += QStringLiteral(" (%1 on the %2 page)")
                        .arg(field.label, m_tabs->tabText(m_tabs->indexOf(field.page)));
            focus = field.editor;
        }
    }
    QPalette palette = m_error->palette();
    palette.setColor(QPalette::WindowText, eventLevelColor(EventLevel::Error, this->palette()));
    m_error->setPalette(palette);
    m_error->setText(text);
    m_error->show();
    if (!focus)
        return;
    for (QWidget* page = focus->parentWidget(); page; page = page->parentWidget()) {
        if (const int index = m_tabs->indexOf(page); index >= 0) {
            m_tabs->setCurrentIndex(index);
            break;
        }
    }
    focus->setFocus(Qt::OtherFocusReason);
    if (auto* line = qobject_cast<QLineEdit*>(focus))
        line->selectAll();
}

void SettingsDialog::clearError()
{
    m_error->clear();
    m_error->hide();
}

void SettingsDialog::saveToFile()
{
    AppConfig edited = m_config;
    if (const std::optional<ConfigError> error = collect(edited)) {
        showError(*error);
        return;
    }
    clearError();
    const QString path = QFileDialog::getSaveFileName(
        this, QStringLiteral("Save settings"), QStringLiteral("breakwater.json"),
        QStringLiteral("JSON config (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    // A config is a few kilobytes: written here, it takes less time than the dialog took to close.
    if (const QString problem = writeConfigFileWithoutSecrets(edited, path); !problem.isEmpty()) {
        showError(ConfigError{{}, problem});
        return;
    }
    m_saveStatus->setText(QStringLiteral("Saved to %1. The API key is not in the file: set %2 "
                                         "or add services.elevenlabs.api_key to the file.")
                              .arg(path, kApiKeyEnvironmentVariable));
    m_saveStatus->show();
}

} // namespace breakwater
