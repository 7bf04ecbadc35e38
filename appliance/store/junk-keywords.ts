// The registered keywords $Junk and $NotJunk (RFC 9051 section 2.3.2, RFC 5788) follow what a
// person does with the Junk folder: a message moved or copied into Junk gets $Junk (and loses
// $NotJunk), one moved out of Junk into a folder the person keeps mail in loses $Junk and gets
// $NotJunk, so a client that shows junk by keyword agrees with the folder. Trash and Drafts say
// nothing. The junk filter trains on the same moves (appliance/junk/filter.ts, folderLabel).

export interface FolderLike { name: string; specialUse: string | null }

export function isJunkFolder(m: FolderLike): boolean {
  return m.specialUse === '\\Junk' || /^(junk|spam)$/i.test(m.name);
}

export function isNeutralFolder(m: FolderLike): boolean {
  return m.specialUse === '\\Trash' || m.specialUse === '\\Drafts' || /^(trash|drafts|deleted)$/i.test(m.name);
}

/** How the keywords (space-separated, as stored) of a message copied from `from` to `to` change;
 *  undefined when they stay as they are. */
export function junkKeywordsOnCopy(from: FolderLike, to: FolderLike): ((keywords: string) => string) | undefined {
  const fromJunk = isJunkFolder(from);
  const toJunk = isJunkFolder(to);
  if (toJunk === fromJunk) return undefined;
  let add: string, drop: string;
  if (toJunk) { add = '$Junk'; drop = '$notjunk'; } else {
    if (isNeutralFolder(to)) return undefined;
    add = '$NotJunk'; drop = '$junk';
  }
  return (keywords) => {
    const list = keywords ? keywords.split(' ').filter((k) => k.toLowerCase() !== drop) : [];
    if (!list.some((k) => k.toLowerCase() === add.toLowerCase())) list.push(add);
    return list.join(' ');
  };
}
