#include "configfilewriter.h"

#include "config/configprinter.h"
#include "config/configschema.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace breakwater {

QString writeConfigFileWithoutSecrets(const AppConfig& config, const QString& path)
{
    QJsonObject root = QJsonDocument::fromJson(printConfig(config)).object();
    for (const ConfigKey& key : configKeys()) {
        if (key.secret)
            insertAtPath(root, key.path, QString());
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return {};
}

} // namespace breakwater
