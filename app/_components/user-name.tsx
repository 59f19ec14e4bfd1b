/** A name with the tag derived from the user id, so two "Ana"s can be told apart. */
export function UserName({ name, tag, self = false }: { name: string; tag: string; self?: boolean }) {
  return (
    <span className={`user-name${self ? ' user-name--self' : ''}`}>
      <span className="user-name__name">{name}</span>
      <span className="user-name__tag" aria-label={`tag ${tag}`}>
        #{tag}
      </span>
    </span>
  );
}
