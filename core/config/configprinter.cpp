#include "configprinter.h"

#include "configschema.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace breakwater {

void insertAtPath(QJsonObject& object, QStringView path, const QJsonValue& value)
{
    const qsizetype dot = path.indexOf(QLatin1Char('.'));
    if (dot < 0) {
        object.insert(path.toString(), value);
        return;
    }
    const QString section = path.left(dot).toString();
    QJsonObject child = object.value(section).toObject();
    insertAtPath(child, path.mid(dot + 1), value);
    object.insert(section, child);
}

QByteArray printConfig(const AppConfig& config)
{
    QJsonObject root;
    for (const ConfigKey& key : configKeys()) {
        QJsonValue value = key.read(config);
        if (key.secret)
            value = value.toString().isEmpty() ? QString() : QString(kMaskedSecret);
        insertAtPath(root, key.path, value);
    }
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace breakwater
