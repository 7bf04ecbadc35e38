// postern domain add|list|remove, postern alias add|list|remove
import { withStore } from './open-store.js';
import { UsageError } from './command.js';
import { addDomain } from '../../services/smtp/domains.js';
export const domainAdd = {
    name: 'domain add',
    usage: 'postern domain add DOMAIN',
    summary: 'add a mail domain',
    async run({ config, args, out }) {
        if (args.length !== 1)
            throw new UsageError('expected exactly one domain');
        return withStore(config, async (store) => {
            await addDomain(store, args[0]);
            out(`added ${args[0].toLowerCase()}; publish its DNS records: postern dns ${args[0].toLowerCase()}`);
            return 0;
        });
    },
};
export const domainList = {
    name: 'domain list',
    usage: 'postern domain list',
    summary: 'list mail domains',
    async run({ config, out }) {
        return withStore(config, (store) => { for (const d of store.domains.list())
            out(d); return 0; });
    },
};
export const domainRemove = {
    name: 'domain remove',
    usage: 'postern domain remove DOMAIN',
    summary: 'remove a mail domain that has no accounts',
    async run({ config, args, out }) {
        if (args.length !== 1)
            throw new UsageError('expected exactly one domain');
        return withStore(config, (store) => { store.domains.remove(args[0]); out(`removed ${args[0].toLowerCase()}`); return 0; });
    },
};
export const aliasAdd = {
    name: 'alias add',
    usage: 'postern alias add ALIAS TARGET',
    summary: 'deliver mail for ALIAS to the account TARGET',
    async run({ config, args, out }) {
        if (args.length !== 2)
            throw new UsageError('expected an alias and a target account');
        return withStore(config, (store) => { store.aliases.add(args[0], args[1]); out(`${args[0].toLowerCase()} -> ${args[1].toLowerCase()}`); return 0; });
    },
};
export const aliasList = {
    name: 'alias list',
    usage: 'postern alias list',
    summary: 'list aliases',
    async run({ config, out }) {
        return withStore(config, (store) => { for (const a of store.aliases.list())
            out(`${a.address}\t${a.target}`); return 0; });
    },
};
export const aliasRemove = {
    name: 'alias remove',
    usage: 'postern alias remove ALIAS [TARGET]',
    summary: 'remove an alias',
    async run({ config, args, out }) {
        if (args.length < 1 || args.length > 2)
            throw new UsageError('expected an alias and optionally its target');
        return withStore(config, (store) => { store.aliases.remove(args[0], args[1]); out(`removed ${args[0].toLowerCase()}`); return 0; });
    },
};
//# sourceMappingURL=domain.js.map