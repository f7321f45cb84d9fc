// Creates one MongoDB user per service, with readWrite on that service's database only, from the
// connection strings the services are given as secret files (docs/operating.md, "compose"): each
// file /run/secrets/mongodb-uri-<service> holds mongodb://<user>:<password>@<host>/<database>,
// the database being the user's authentication database as well. One file per service is the only
// place its password is written. The image runs this script once, when it initialises an empty
// data directory, as the root user.
const fs = require('fs');
const secrets = '/run/secrets';
const files = fs.readdirSync(secrets).filter(name => name.startsWith('mongodb-uri-'));
if (files.length === 0) {
  throw new Error('no mongodb-uri-<service> secret in ' + secrets);
}
for (const file of files) {
  const uri = fs.readFileSync(secrets + '/' + file, 'utf8').trim();
  const match = /^mongodb:\/\/([^:@\/]+):([^@\/]+)@[^\/]+\/([^?\/]+)/.exec(uri);
  if (match === null) {
    throw new Error(file + ' is not mongodb://<user>:<password>@<host>/<database>');
  }
  const user = decodeURIComponent(match[1]);
  const database = decodeURIComponent(match[3]);
  db.getSiblingDB(database).createUser({
    user: user,
    pwd: decodeURIComponent(match[2]),
    roles: [{ role: 'readWrite', db: database }],
  });
  print('tsuzuku: user ' + user + ' may read and write ' + database + ' only');
}
