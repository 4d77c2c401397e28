#include "apikeyeditor.h"

#include "config/configschema.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLineEdit>

namespace breakwater {

namespace {

QString placeholderFor(bool keyIsSet, bool clear)
{
    if (clear)
        return QStringLiteral("The key will be removed");
    if (keyIsSet)
        return QStringLiteral("A key is set; type a new one to replace it");
    return QStringLiteral("No key set (the embedded simulator needs none)");
}

} // namespace

ApiKeyEditor::ApiKeyEditor(bool keyIsSet, QWidget* parent)
    : QWidget(parent)
    , m_keyIsSet(keyIsSet)
    , m_field(new QLineEdit(this))
    , m_clear(new QCheckBox(QStringLiteral("Clear key"), this))
{
    m_field->setObjectName(QStringLiteral("services.elevenlabs.api_key"));
    m_field->setEchoMode(QLineEdit::Password);
    // Keep keyboards and input methods from learning, predicting or showing what is typed.
    m_field->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhSensitiveData |
                                 Qt::ImhNoPredictiveText | Qt::ImhNoAutoUppercase);
    m_field->setAccessibleName(QStringLiteral("API key"));
    m_field->setToolTip(QStringLiteral("services.elevenlabs.api_key (or the %1 environment "
                                       "variable at start): never shown once set")
                            .arg(kApiKeyEnvironmentVariable));

    m_clear->setObjectName(QStringLiteral("clearApiKey"));
    m_clear->setEnabled(keyIsSet);
    m_clear->setToolTip(QStringLiteral("Run without an API key"));

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_field, 1);
    layout->addWidget(m_clear);

    updateForClear(false);
    connect(m_clear, &QCheckBox::toggled, this, &ApiKeyEditor::updateForClear);
}

std::optional<QString> ApiKeyEditor::editedKey() const
{
    if (m_clear->isChecked())
        return m_keyIsSet ? std::optional<QString>(QString()) : std::nullopt;
    // A pasted key often brings a stray space or line break with it; no key holds either.
    const QString typed = m_field->text().trimmed();
    if (typed.isEmpty())
        return std::nullopt;
    return typed;
}

void ApiKeyEditor::updateForClear(bool clear)
{
    if (clear)
        m_field->clear();
    m_field->setEnabled(!clear);
    m_field->setPlaceholderText(placeholderFor(m_keyIsSet, clear));
}

} // namespace breakwater
