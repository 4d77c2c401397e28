#pragma once

#include <QString>
#include <QWidget>

#include <optional>

class QCheckBox;
class QLineEdit;

namespace breakwater {

// The API key field: masked, and always empty when it opens, because the key it replaces is
// never handed to it. Only whether a key is set is known here, so the key cannot leak into a
// widget's text, placeholder or tooltip. An empty field keeps the key; "Clear key" removes it.
class ApiKeyEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiKeyEditor)

public:
    explicit ApiKeyEditor(bool keyIsSet, QWidget* parent = nullptr);

    // nullopt: keep the key as it is; an empty string: remove it; otherwise the new key.
    std::optional<QString> editedKey() const;

    QLineEdit* keyField() const noexcept { return m_field; }

private:
    void updateForClear(bool clear);

    const bool m_keyIsSet;
    QLineEdit* m_field;
    QCheckBox* m_clear;
};

} // namespace breakwater
